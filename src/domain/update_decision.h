#pragma once

// The check-update decision: which release, if any, a device should install.
//
// choose_update() considers only releases that channel_offers() to
// `device_channel` and whose version is strictly newer than `current` by
// SemVer precedence (so a device never downgrades, and a device already on a
// release's version, build metadata aside, is not offered it again). Among
// those it returns the one with the highest precedence. Ties in precedence
// go to the more stable channel, then to the higher id (the later upload),
// so the answer does not depend on the order of `releases`. It returns
// std::nullopt when no release qualifies, including for an empty list.
//
// The function is pure; it copies the chosen candidate out of `releases`,
// which it only reads, and is safe to call concurrently.

#include <cstdint>
#include <optional>
#include <span>

#include "domain/channel.h"
#include "domain/semver.h"

namespace apiota::domain {

struct ReleaseCandidate {
  std::int64_t id = 0;
  SemVer version;
  Channel channel = Channel::Stable;

  bool operator==(const ReleaseCandidate&) const = default;
};

std::optional<ReleaseCandidate> choose_update(const SemVer& current, Channel device_channel,
                                              std::span<const ReleaseCandidate> releases);

}  // namespace apiota::domain
