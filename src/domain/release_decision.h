#pragma once

// The check-update decision: which release, if any, a device should install
// next, and whether installing it is a rollback. It applies channels, release
// states, rollout targeting, pins, revocation with a rollback target,
// anti-rollback and per-device refusals.
//
// decide_release() applies these rules in order; the first that decides wins.
// They are the product's contract.
//
//  a. Updates are never stacked. While the device has an update in progress
//     (update_in_progress names its release R), it is offered R again and
//     nothing else: the device may be retrying a broken download (the seed's
//     Arduino client never reports `done`), ESP-IDF refuses a new update while
//     the running image is still pending verification, and a second offer
//     would race the first. R is offered when rules b-e pick it (with their
//     kind: a rollback target or a pinned version stays a Rollback), and
//     otherwise as an Update whatever its channel, targeting, newer releases
//     or pins, as long as it is Active, newer than current, not refused by
//     the device, and its secure_version is at least current_secure_version
//     (when known). Otherwise the device is held: NoUpdate ("update to
//     release R in progress"); a Paused R holds its devices this way. An
//     attempt on a Revoked R (or on a release not in `releases`) holds
//     nothing: rules b-e apply as if the device had no update in progress
//     (revoking a release ends the attempts on it, and their devices go on
//     to the rollback target).
//  b. Pins. A device pin beats a tag pin. If the device's current version has
//     the pin's precedence: NoUpdate (held). Otherwise the release offered is
//     one whose version has the pin's precedence, whose state is Active or
//     Paused (never Revoked), whose id the device has not refused, and whose
//     secure_version is at least the device's current_secure_version (when
//     known). Channel and targeting are ignored. The kind is Update when the
//     pin is higher than current and Rollback when it is lower. When no
//     release qualifies, NoUpdate with a reason (no release has the version,
//     or why the best one was rejected). A pinned device never reaches c or d,
//     so a pin also holds a device on a revoked release.
//  c. Revocation. If a Revoked release of a channel the device follows has
//     the precedence of the device's current version, and its
//     rollback_target_id names a release that is Active, not refused by the
//     device, of a different precedence than current, and not below the
//     device's current_secure_version: Rollback to that release ("release X
//     revoked"), whatever its channel, targeting or direction. When several
//     revoked releases match, they are tried in the order of d's tie-break.
//     Without a usable target the device falls through to d.
//  d. Otherwise Update to the newest release that is Active (Paused and
//     Revoked releases are never offered here), that channel_offers() to the
//     device, whose version is strictly newer than current, that the device
//     has not refused, whose secure_version is at least current_secure_version
//     (when known), and that is_targeted() (domain/rollout_plan.h) at the
//     device with release_key std::to_string(id). Ties in precedence go to
//     the more stable channel, then to the higher id.
//  e. Otherwise NoUpdate.
//
// Versions are compared by SemVer precedence (build metadata ignored). Kind
// Rollback means "install this even though it may not be newer". The answer
// does not depend on the order of `releases`. `reason` is a one-line
// explanation for operators and logs, never empty.
//
// validate_rollback_target() returns an empty string when `target` may serve
// as the rollback target of `source`, otherwise a one-line message: the
// target must be another release (different id), must not be Revoked, must
// not have the source's version precedence (devices on the two could not be
// told apart, so they would be sent back forever), and must not have a lower
// secure_version (devices with anti-rollback that installed the source have
// burned its secure_version into eFuse and would refuse the target). A
// Paused target is accepted, but rule c only rolls back to Active targets.
//
// Both functions are pure and safe to call concurrently. decide_release()
// may throw std::runtime_error as in_rollout() does.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/release_state.h"
#include "domain/channel.h"
#include "domain/rollout_plan.h"
#include "domain/semver.h"

namespace apiota::domain {

struct ReleaseView {
  std::int64_t id;
  SemVer version;
  Channel channel;
  ReleaseState state = ReleaseState::Active;
  std::uint32_t secure_version = 0;
  RolloutTargeting targeting;
  std::optional<std::int64_t> rollback_target_id;
};

// Holds a device at an exact version (by precedence).
struct DevicePin {
  SemVer version;
};

struct DeviceView {
  std::string device_id;
  SemVer current;
  Channel channel = Channel::Stable;
  std::vector<std::string> tags;
  // secure_version of the image the device runs, if known.
  std::optional<std::uint32_t> current_secure_version;
  // The release of the device's open update attempt, when its last status
  // is downloading..rebooting and not stuck (domain/update_attempt.h).
  std::optional<std::int64_t> update_in_progress;
  // Releases the device's bootloader rolled back from: never offered again.
  std::vector<std::int64_t> refused_release_ids;
  std::optional<DevicePin> device_pin;
  std::optional<DevicePin> tag_pin;
};

struct Decision {
  enum class Kind { NoUpdate, Update, Rollback } kind = Kind::NoUpdate;
  std::int64_t release_id = 0;  // 0 for NoUpdate
  std::string reason;
};

Decision decide_release(const DeviceView& device, std::span<const ReleaseView> releases);

std::string validate_rollback_target(const ReleaseView& source, const ReleaseView& target);

}  // namespace apiota::domain
