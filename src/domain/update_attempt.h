#pragma once

// Update attempts: one device installing one release, followed from its OTA
// reports and its polls until it ends. Ended attempts feed the rollout's
// safety (domain/rollout_safety.h) and auto-advance (domain/rollout_plan.h);
// an open attempt keeps the device from being offered a different release
// (domain/release_decision.h, rule a).
//
// A device has at most one open attempt. The functions below say what a new
// observation does to it; the caller stores the result.
//
// step_for_report() handles an OTA report (POST /api/ota-log). `release` is
// the release the report names through to_version, when one matches.
//  - pending, checking: nothing (the device has not committed to an image).
//  - downloading, verifying, flashing, rebooting: with no release named, the
//    open attempt (if any) is touched (its status and time updated). With a
//    release equal to the open attempt's, the same. With another release,
//    the open attempt ends as Superseded and an attempt for `release` opens.
//  - done / failed: the open attempt ends as Succeeded / Failed when no
//    release is named or it is the open attempt's. When another release is
//    named, the open attempt (if any) ends as Superseded and an attempt for
//    `release` is recorded already ended (Succeeded / Failed), so a device
//    that only ever reports the outcome is still counted.
//
// end_for_poll() handles a check-update poll reporting `reported`, given the
// open attempt (none: std::nullopt). In order:
//  - the device runs the target version (same precedence): Succeeded. The
//    seed's Arduino client never reports `done`; its next poll does.
//  - its last status was rebooting and is_bootloader_rollback(target, from,
//    reported): RolledBack (the bootloader reverted to the old image).
//  - is_stuck(status, status_at, now, stuck_after): Stuck.
//  - otherwise std::nullopt (still in progress).
//
// An open attempt also ends as Revoked when an operator revokes its release
// (Store::update_release ends them all): the device did nothing wrong, and
// its next poll is answered by the rules for devices without an update in
// progress (domain/release_decision.h, rule a).
//
// outcome_of() maps an end to the safety outcome it counts as: Succeeded is
// a Success; Failed, Stuck and RolledBack are Failures; Superseded and
// Revoked count as neither (std::nullopt). A device that rolled back a
// release is never offered it again; an ordinary failure may be retried.
//
// parse_attempt_end() / to_string() convert the lowercase names
// "succeeded", "failed", "stuck", "rolled_back", "superseded", "revoked".
// A store reads a stored name this binary does not know as Superseded: the
// attempt is over and counts neither as a success nor as a failure.
//
// All functions are pure and safe to call concurrently.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/ota_status.h"
#include "domain/rollout_safety.h"
#include "domain/semver.h"

namespace apiota::domain {

enum class AttemptEnd { Succeeded, Failed, Stuck, RolledBack, Superseded, Revoked };

struct AttemptRelease {
  std::int64_t id;
  SemVer version;
};

struct OpenAttempt {
  AttemptRelease release;
  std::optional<SemVer> from;  // the version the device updated from, when known
  OtaStatus status;
  std::chrono::system_clock::time_point status_at;
};

struct AttemptStep {
  std::optional<AttemptEnd> end_open;  // end the open attempt first
  bool touch_open = false;             // record the report's status and time on the open attempt
  struct Start {
    AttemptRelease release;
    std::optional<AttemptEnd> ended;  // set: recorded already ended
  };
  std::optional<Start> start;  // then start an attempt for this release
};

AttemptStep step_for_report(const std::optional<OpenAttempt>& open, OtaStatus status,
                            const std::optional<AttemptRelease>& release);

std::optional<AttemptEnd> end_for_poll(const std::optional<OpenAttempt>& open, const SemVer& reported,
                                       std::chrono::system_clock::time_point now, std::chrono::seconds stuck_after);

std::optional<AttemptOutcome> outcome_of(AttemptEnd end);

std::string_view to_string(AttemptEnd end);

std::optional<AttemptEnd> parse_attempt_end(std::string_view text);

}  // namespace apiota::domain
