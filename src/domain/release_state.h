#pragma once
// The state an operator (or the rollout automation) gives a release:
// Active releases are offered, Paused ones are not offered to new devices,
// Revoked ones are never offered and devices that run them are moved off.
// to_string() gives the stored and rendered name ("active", "paused",
// "revoked"); parse_release_state() accepts exactly those. A store reads a
// stored name this binary does not know as Paused: never offered to new
// devices.

#include <optional>
#include <string_view>

namespace apiota::domain {

enum class ReleaseState { Active, Paused, Revoked };

std::string_view to_string(ReleaseState state);
std::optional<ReleaseState> parse_release_state(std::string_view name);

}  // namespace apiota::domain
