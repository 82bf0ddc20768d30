#pragma once

// The rules that pause a staged rollout and recognise failed attempts.
//
// evaluate_safety() looks at the last policy.window outcomes of a release's
// update attempts (the span is ordered oldest first, so those are its last
// elements; fewer are used when fewer exist). It returns the number of
// attempts looked at, the failure rate among them (0 when there are none),
// and pause == true when there are at least policy.min_attempts of them and
// the failure rate is strictly greater than policy.max_failure_rate. The
// minimum keeps a single early failure from stopping a rollout; the window
// lets a rollout recover its standing once the newest attempts succeed.
// `reason` is a one-line explanation for operators, e.g. "4 of the last 10
// attempts failed (40% > 20%)" when pausing, "1 of the last 10 attempts
// failed (10% <= 20%)" when not, and "3 attempts, fewer than the 5 needed to
// judge" when there are too few. A window of 0 never pauses.
//
// is_stuck() is true when `last_status` is in progress (downloading,
// verifying, flashing or rebooting; see domain/ota_status.h) and was reported
// strictly more than policy.stuck_after before `now`. A stuck attempt counts
// as a failure: a device that never reports back after flashing has most
// likely bricked or been rolled back without saying so.
//
// is_bootloader_rollback() recognises the ESP-IDF app rollback (an image that
// never marked itself valid is replaced by the previous one at the next
// boot). It is meant for a device that reported `rebooting` into `target` and
// now reports `reported`. It returns true when `reported` does not have the
// precedence of `target` and either has the precedence of `previous` (the
// version the device updated from, when known) or is lower than `target`.
// Build metadata is ignored throughout. A device that reports a version
// higher than `target` that is not `previous` was not rolled back by its
// bootloader (it was most likely updated by other means).
//
// All functions are pure and safe to call concurrently.

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "domain/ota_status.h"
#include "domain/semver.h"

namespace apiota::domain {

enum class AttemptOutcome { Success, Failure };

struct SafetyPolicy {
  std::size_t window = 20;
  double max_failure_rate = 0.2;
  std::size_t min_attempts = 5;
  std::chrono::seconds stuck_after{std::chrono::hours(1)};
};

struct SafetyVerdict {
  bool pause;
  double failure_rate;
  std::size_t attempts;
  std::string reason;
};

SafetyVerdict evaluate_safety(std::span<const AttemptOutcome> outcomes_oldest_first, const SafetyPolicy& policy);

bool is_stuck(OtaStatus last_status, std::chrono::system_clock::time_point last_status_at,
              std::chrono::system_clock::time_point now, const SafetyPolicy& policy);

bool is_bootloader_rollback(const SemVer& target, const std::optional<SemVer>& previous, const SemVer& reported);

}  // namespace apiota::domain
