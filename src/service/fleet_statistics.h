#pragma once
// FleetStatistics: the numbers of the console's overview and of a release's
// rollout progress (GET /api/admin/stats, GET /api/admin/releases/{id}/progress,
// docs/api.md "Fleet statistics"), read from store/fleet_stats_store.h.
//
// Every answer is a snapshot from a SnapshotCache (snapshot_cache.h), one per
// project (devices, versions, rollouts), per project and bucket choice
// (outcomes) and per release (progress): with a small fleet each request
// computes its numbers afresh; at a large one a request may be answered
// numbers up to SnapshotCache::kMaxAge plus one computation old while one
// background computation refreshes them, so no request waits for a long scan
// once a snapshot exists. `generated_at` says when a snapshot was computed.
//
// Definitions (the API's):
// - devices.seen_last_hour/day: devices whose last poll is at most an hour /
//   a day before generated_at (registration counts as contact); never_seen:
//   devices with no contact yet (imported and never polled).
// - eligible: unblocked devices of the project in the release's audience by
//   channel, rollout tags, listed devices and cohort share
//   (domain/rollout_audience.h), exactly, whatever the release's state.
// - offered: distinct devices with an update attempt on the release;
//   in_progress: its open attempts; installed/failed/stuck/rolled_back: its
//   attempts that ended so.
// - rollouts: releases that are active or paused and have a share below 100,
//   a stage schedule, or an open attempt; newest first.
// Thread-safe. Methods block on the store (call them from worker threads)
// and throw StoreError when it fails.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "domain/outcome_buckets.h"
#include "env/env.h"
#include "service/snapshot_cache.h"
#include "store/store.h"

namespace apiota::service {

struct ReleaseProgress {
  std::int64_t release_id = 0;
  std::int64_t eligible = 0;
  store::AttemptCounts attempts;
  std::int64_t generated_at = 0;  // Unix ms
};

struct RolloutSummary {
  store::ReleaseRecord release;
  std::shared_ptr<const ReleaseProgress> progress;
};

struct FleetOverview {
  std::int64_t generated_at = 0;  // Unix ms
  store::FleetCounts devices;
  std::vector<store::VersionCount> versions;  // ordered by channel (most stable first), then version
  std::vector<RolloutSummary> rollouts;
};

enum class OutcomeBucket { Hour, Day };

// Ended attempts per bucket, oldest first: installed, failed, stuck, rolled_back.
struct OutcomeSeries {
  std::int64_t generated_at = 0;
  domain::BucketSpan span;
  std::vector<std::array<std::int64_t, 4>> counts;
};

class FleetStatistics {
 public:
  static constexpr std::int64_t kMaxSpan = 720;

  FleetStatistics(store::Store& store, env::Env& env) : store_(store), env_(env) {}

  std::shared_ptr<const FleetOverview> overview(const std::string& project_id);
  // `span` in [1, kMaxSpan] (the caller validates it).
  std::shared_ptr<const OutcomeSeries> outcomes(const std::string& project_id, OutcomeBucket bucket,
                                                std::int64_t span);
  // The progress of a release the caller has found in its project.
  std::shared_ptr<const ReleaseProgress> progress(const store::ReleaseRecord& release);

 private:
  FleetOverview compute_overview(const std::string& project_id);
  OutcomeSeries compute_outcomes(const std::string& project_id, OutcomeBucket bucket, std::int64_t span);
  ReleaseProgress compute_progress(const std::string& project_id, std::int64_t release_id);
  std::int64_t count_eligible(const store::ReleaseRecord& release);

  // The cache under `key` in `caches`, made on first use (under caches_mutex_).
  template <class Key, class T>
  SnapshotCache<T>& cache_for(std::map<Key, std::unique_ptr<SnapshotCache<T>>>& caches, const Key& key);

  store::Store& store_;
  env::Env& env_;
  // Declared last: destroyed first, so background computations end while
  // the store is still there.
  std::mutex caches_mutex_;
  std::map<std::string, std::unique_ptr<SnapshotCache<FleetOverview>>> overviews_;
  std::map<std::tuple<std::string, OutcomeBucket, std::int64_t>, std::unique_ptr<SnapshotCache<OutcomeSeries>>>
      outcome_series_;
  std::map<std::int64_t, std::unique_ptr<SnapshotCache<ReleaseProgress>>> progresses_;
};

}  // namespace apiota::service
