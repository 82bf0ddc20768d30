#pragma once

// Release channels. A device follows exactly one channel; a release is
// published on exactly one. The enumerator values order channels from most
// to least stable and are stable identifiers (they may be persisted).
//
// parse_channel() accepts exactly "stable", "beta" or "dev" (lowercase, no
// surrounding whitespace) and returns std::nullopt for anything else.
// to_string() returns that same spelling; the view refers to static storage.
// channel_offers() says whether a device on `device_channel` may be offered
// a release published on `release_channel`: a stable device sees stable
// releases only, a beta device beta and stable, a dev device all three.
//
// A store reads a stored name this binary does not know as the channel that
// exposes the least: Stable for a device (offered stable releases only), Dev
// for a release (offered only to devices on dev, which take everything).
//
// All functions are pure and safe to call concurrently.

#include <optional>
#include <string_view>

namespace apiota::domain {

enum class Channel { Stable = 0, Beta = 1, Dev = 2 };

std::optional<Channel> parse_channel(std::string_view text);

std::string_view to_string(Channel channel);

bool channel_offers(Channel device_channel, Channel release_channel);

}  // namespace apiota::domain
