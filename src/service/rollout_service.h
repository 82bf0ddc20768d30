#pragma once
// RolloutService: what apiota does to a release by itself, as its update
// attempts end and as time passes: attempts, safety, stages and the periodic
// sweep. Every change it makes is stored with an audit record whose actor is
// "apiota", so the changelog shows it next to the operators' own changes.
//
// attempt_ended() is called after an attempt of release `release_id` ended
// at `now` (the caller has already stored the end, and read `now` from its
// Env). A failure (Failed, Stuck, RolledBack) re-evaluates the release's
// safety (domain::evaluate_safety over the outcomes ended since the release
// was last resumed, with the release's own policy) and pauses an active
// release that fails it, audited as "release.auto_pause" with the verdict as
// state_reason. A success tries the stage schedule's auto-advance
// (domain::next_stage), audited as "release.stage". Superseded does nothing.
// It never throws: the end it reacts to is stored, and may already be
// acknowledged to the device, so a failure to store the pause or the
// advance is logged instead, and the release's next ended attempt (for a
// stage, also the sweep) tries again.
//
// sweep() is triggered periodically by the server, and reads the time from
// the Env: it ends every stale open attempt as Stuck (writing an ota-log line
// for the device saying so), runs attempt_ended() for each, then advances
// every active release whose schedule's current stage has lasted long enough
// and has enough successes. It logs what it did (when it did anything) and
// returns it.
//
// Every pause, advance and stuck attempt is noted in the ChangeFeed
// (service/change_feed.h) once stored.
//
// Methods block on the store (call them on worker threads); sweep() may
// throw StoreError. Their decisions serialize on an internal mutex and, with
// a store several nodes share, on its cluster lock (store/cluster_lock.h),
// so concurrent failures pause a release once and a stage advances once,
// however many nodes see them.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

#include "domain/update_attempt.h"
#include "env/env.h"
#include "service/change_feed.h"
#include "store/store.h"

namespace apiota::service {

inline constexpr std::string_view kAutomationActor = "apiota";

struct SweepReport {
  std::size_t stuck = 0;
  std::size_t paused = 0;
  std::size_t advanced = 0;
};

class RolloutService {
 public:
  // `store`, `env` and `changes` must outlive the service.
  RolloutService(store::Store& store, env::Env& env, ChangeFeed& changes)
      : store_(store), env_(env), changes_(changes) {}

  // True when it paused or advanced the release.
  bool attempt_ended(std::string_view project_id, std::int64_t release_id, domain::AttemptEnd end, std::int64_t now);

  SweepReport sweep();

 private:
  // Runs `decision` under the internal mutex and the store's cluster lock.
  void decide(const std::function<void()>& decision);
  bool pause_if_unsafe(std::string_view project_id, std::int64_t release_id, std::int64_t now);
  bool advance_if_due(std::string_view project_id, std::int64_t release_id, std::int64_t now);

  store::Store& store_;
  env::Env& env_;
  ChangeFeed& changes_;
  std::mutex mutex_;
};

}  // namespace apiota::service
