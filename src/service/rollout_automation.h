#pragma once
// RolloutAutomation: what apiota does to a release by itself, as its update
// attempts end and as time passes. Every change it makes is stored with an
// audit record whose actor is "apiota", so the changelog shows it next to
// the operators' own changes.
//
// attempt_ended() is called after an attempt of release `release_id` ended
// (the caller has already stored the end). A failure (Failed, Stuck,
// RolledBack) re-evaluates the release's safety (domain::evaluate_safety over
// the outcomes ended since the release was last resumed, with the release's
// own policy) and pauses an active release that fails it, audited as
// "release.auto_pause" with the verdict as state_reason. A success tries the
// stage schedule's auto-advance (domain::next_stage), audited as
// "release.stage". Superseded does nothing.
//
// sweep() is called periodically by the server: it ends every stale open
// attempt as Stuck (writing an ota-log line for the device saying so), runs
// attempt_ended() for each, then advances every active release whose
// schedule's current stage has lasted long enough and has enough successes.
// It returns what it did.
//
// Methods block on the store (call them on worker threads) and may throw
// StoreError. They serialize on an internal mutex, so concurrent failures
// pause a release once.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "domain/update_attempt.h"
#include "store/store.h"

namespace apiota::service {

inline constexpr std::string_view kAutomationActor = "apiota";

struct SweepReport {
  std::size_t stuck = 0;
  std::size_t paused = 0;
  std::size_t advanced = 0;
};

class RolloutAutomation {
 public:
  explicit RolloutAutomation(store::Store& store) : store_(store) {}

  // True when it paused or advanced the release.
  bool attempt_ended(std::string_view project_id, std::int64_t release_id, domain::AttemptEnd end, std::int64_t now);

  SweepReport sweep(std::int64_t now);

 private:
  bool pause_if_unsafe(std::string_view project_id, std::int64_t release_id, std::int64_t now);
  bool advance_if_due(std::string_view project_id, std::int64_t release_id, std::int64_t now);

  store::Store& store_;
  std::mutex mutex_;
};

}  // namespace apiota::service
