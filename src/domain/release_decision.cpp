#include "domain/release_decision.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace apiota::domain {
namespace {

using Kind = Decision::Kind;

// True when `a` should be chosen over `b`, two releases of equal precedence.
bool preferred_among_equals(const ReleaseView& a, const ReleaseView& b) {
  if (a.channel != b.channel) return static_cast<int>(a.channel) < static_cast<int>(b.channel);
  return a.id > b.id;
}

// True when `a` should be offered in preference to `b`.
bool is_better(const ReleaseView& a, const ReleaseView& b) {
  if (const int c = compare(a.version, b.version); c != 0) return c > 0;
  return preferred_among_equals(a, b);
}

std::string describe(const ReleaseView& release) {
  return "release " + std::to_string(release.id) + " (" + release.version.to_string() + ")";
}

bool has_refused(const DeviceView& device, std::int64_t release_id) {
  return std::find(device.refused_release_ids.begin(), device.refused_release_ids.end(), release_id) !=
         device.refused_release_ids.end();
}

bool secure_version_allows(const DeviceView& device, const ReleaseView& release) {
  return !device.current_secure_version.has_value() || release.secure_version >= *device.current_secure_version;
}

std::string secure_version_refusal(const DeviceView& device, const ReleaseView& release) {
  return describe(release) + " has secure_version " + std::to_string(release.secure_version) + ", below the device's " +
         std::to_string(device.current_secure_version.value_or(0));
}

Decision no_update(std::string reason) { return Decision{Kind::NoUpdate, 0, std::move(reason)}; }

// Rule b.
Decision decide_pinned(const DeviceView& device, const SemVer& pinned, std::string_view pin_kind,
                       std::span<const ReleaseView> releases) {
  const std::string held = std::string(pin_kind) + " pin at " + pinned.to_string();
  if (same_precedence(device.current, pinned)) return no_update("held by " + held);

  const ReleaseView* best = nullptr;
  const ReleaseView* best_rejected = nullptr;
  for (const ReleaseView& release : releases) {
    if (!same_precedence(release.version, pinned)) continue;
    const bool eligible = release.state != ReleaseState::Revoked && !has_refused(device, release.id) &&
                          secure_version_allows(device, release);
    const ReleaseView*& slot = eligible ? best : best_rejected;
    if (slot == nullptr || preferred_among_equals(release, *slot)) slot = &release;
  }
  if (best != nullptr) {
    const Kind kind = compare(pinned, device.current) > 0 ? Kind::Update : Kind::Rollback;
    return Decision{kind, best->id, describe(*best) + " by " + held};
  }
  if (best_rejected == nullptr) return no_update(held + ", but no release has that version");
  if (best_rejected->state == ReleaseState::Revoked) {
    return no_update(held + ", but " + describe(*best_rejected) + " is revoked");
  }
  if (has_refused(device, best_rejected->id)) {
    return no_update(held + ", but the device refused " + describe(*best_rejected));
  }
  return no_update(held + ", but " + secure_version_refusal(device, *best_rejected));
}

// Rule c: the rollback target of `revoked` if the device may take it.
const ReleaseView* usable_rollback_target(const DeviceView& device, const ReleaseView& revoked,
                                          std::span<const ReleaseView> releases) {
  if (!revoked.rollback_target_id.has_value()) return nullptr;
  const auto target = std::find_if(releases.begin(), releases.end(), [&](const ReleaseView& release) {
    return release.id == *revoked.rollback_target_id;
  });
  if (target == releases.end()) return nullptr;
  if (target->state != ReleaseState::Active || has_refused(device, target->id)) return nullptr;
  if (same_precedence(target->version, device.current)) return nullptr;
  if (!secure_version_allows(device, *target)) return nullptr;
  return &*target;
}


// Rules b-e.
Decision decide_without_attempt(const DeviceView& device, std::span<const ReleaseView> releases) {
  if (device.device_pin.has_value()) return decide_pinned(device, device.device_pin->version, "device", releases);
  if (device.tag_pin.has_value()) return decide_pinned(device, device.tag_pin->version, "tag", releases);

  const ReleaseView* revoked = nullptr;
  const ReleaseView* rollback_to = nullptr;
  for (const ReleaseView& release : releases) {
    if (release.state != ReleaseState::Revoked || !same_precedence(release.version, device.current)) continue;
    if (!channel_offers(device.channel, release.channel)) continue;
    // A revoked release with a usable target beats one without; otherwise
    // d's tie-break decides.
    const ReleaseView* target = usable_rollback_target(device, release, releases);
    const bool has_target = target != nullptr;
    const bool had_target = rollback_to != nullptr;
    if (revoked == nullptr || (has_target && !had_target) ||
        (has_target == had_target && preferred_among_equals(release, *revoked))) {
      revoked = &release;
      rollback_to = target;
    }
  }
  if (rollback_to != nullptr) {
    return Decision{Kind::Rollback, rollback_to->id,
                    describe(*revoked) + " revoked; rolling back to " + describe(*rollback_to)};
  }

  const ReleaseView* best = nullptr;
  for (const ReleaseView& release : releases) {
    if (release.state != ReleaseState::Active) continue;
    if (!channel_offers(device.channel, release.channel)) continue;
    if (compare(release.version, device.current) <= 0) continue;
    if (has_refused(device, release.id) || !secure_version_allows(device, release)) continue;
    if (best != nullptr && !is_better(release, *best)) continue;
    if (!is_targeted(release.targeting, device.device_id, device.tags, std::to_string(release.id))) continue;
    best = &release;
  }
  if (best != nullptr) {
    const std::string channel(to_string(best->channel));
    return Decision{Kind::Update, best->id, describe(*best) + " on " + channel + " is the newest for this device"};
  }
  if (revoked != nullptr) return no_update(describe(*revoked) + " revoked, but it has no usable rollback target");
  return no_update("no newer release for this device");
}

}  // namespace

Decision decide_release(const DeviceView& device, std::span<const ReleaseView> releases) {
  if (!device.update_in_progress) return decide_without_attempt(device, releases);
  const auto attempt = std::find_if(releases.begin(), releases.end(), [&](const ReleaseView& release) {
    return release.id == *device.update_in_progress;
  });
  if (attempt == releases.end() || attempt->state == ReleaseState::Revoked) {
    return decide_without_attempt(device, releases);
  }
  const ReleaseView& release = *attempt;
  Decision decision = decide_without_attempt(device, releases);
  if (decision.release_id == release.id) return decision;
  if (release.state == ReleaseState::Active && compare(release.version, device.current) > 0 &&
      !has_refused(device, release.id) && secure_version_allows(device, release)) {
    return Decision{Kind::Update, release.id, "update to " + describe(release) + " in progress; offered again"};
  }
  return no_update("update to release " + std::to_string(release.id) + " in progress");
}

std::string validate_rollback_target(const ReleaseView& source, const ReleaseView& target) {
  if (target.id == source.id) return "a release cannot be its own rollback target";
  if (target.state == ReleaseState::Revoked) return describe(target) + " is revoked";
  if (same_precedence(target.version, source.version)) {
    return describe(target) + " has the version of " + describe(source) +
           ", so devices on either could not be told apart";
  }
  if (target.secure_version < source.secure_version) {
    return "devices that installed " + describe(source) + " burned secure_version " +
           std::to_string(source.secure_version) + " and would refuse " + describe(target) + " (secure_version " +
           std::to_string(target.secure_version) + ")";
  }
  return {};
}

}  // namespace apiota::domain
