#pragma once
// FleetStatsStore: the counts behind the console's overview and a release's
// rollout progress (GET /api/admin/stats, /api/admin/releases/{id}/progress).
// Read-only; versions, outcomes and a release's attempt counts are read from
// trigger-kept counters (kSchemaV12), the rest from index ranges
// (store/sqlite/schema.cpp), so every call is cheap at a million devices. Every method follows the contract of
// store/store.h (thread-safe, blocking, StoreError when the database fails).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/channel.h"
#include "domain/update_attempt.h"

namespace apiota::store {

// Devices of one project.
struct FleetCounts {
  std::int64_t total = 0;
  std::int64_t seen_since_hour = 0;  // last_seen_at >= the first threshold
  std::int64_t seen_since_day = 0;   // last_seen_at >= the second threshold
  std::int64_t never_seen = 0;       // last_seen_at is NULL
  std::int64_t blocked = 0;
};

// Devices of one project on `channel` reporting `version` (nullopt: none reported yet).
struct VersionCount {
  domain::Channel channel = domain::Channel::Stable;
  std::optional<std::string> version;
  std::int64_t devices = 0;
};

// Attempts of one project that ended with `outcome` in the bucket starting at `bucket_start`.
struct OutcomeCount {
  std::int64_t bucket_start = 0;
  domain::AttemptEnd outcome = domain::AttemptEnd::Succeeded;
  std::int64_t attempts = 0;
};

// One release's update attempts.
struct AttemptCounts {
  std::int64_t devices = 0;      // distinct devices with an attempt on it (any outcome, open too)
  std::int64_t open = 0;         // attempts still open
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  std::int64_t stuck = 0;
  std::int64_t rolled_back = 0;
};

class FleetStatsStore {
 public:
  virtual ~FleetStatsStore() = default;

  // Counts of the project's devices; a device counts as seen since a
  // threshold (Unix ms) when its last poll is at or after it.
  virtual FleetCounts fleet_counts(std::string_view project_id, std::int64_t seen_since_hour,
                                   std::int64_t seen_since_day) = 0;
  // Devices per (channel, firmware_version), ordered by channel then version text.
  virtual std::vector<VersionCount> version_counts(std::string_view project_id) = 0;
  // Attempts that ended at or after `since` with a succeeded, failed, stuck or
  // rolled_back outcome, counted per bucket: buckets are `bucket_ms` wide and
  // start at multiples of it since the Unix epoch; `since` and `bucket_ms` are
  // whole hours (attempts are counted per hour; superseded and revoked
  // attempts are left out). Ordered by bucket start.
  virtual std::vector<OutcomeCount> outcome_counts(std::string_view project_id, std::int64_t since,
                                                   std::int64_t bucket_ms) = 0;
  virtual AttemptCounts attempt_counts(std::int64_t release_id) = 0;
  // Whether the release has an open attempt (cheaper than attempt_counts).
  virtual bool has_open_attempt(std::int64_t release_id) = 0;
  // Calls `visit` with the id of every unblocked device of the project whose
  // channel is one of `channels` and, when `tags` is not empty, that carries
  // at least one of them (each device once, in no particular order).
  virtual void for_each_unblocked_device(std::string_view project_id, std::span<const domain::Channel> channels,
                                         std::span<const std::string> tags,
                                         const std::function<void(std::string_view device_id)>& visit) = 0;
  // How many devices for_each_unblocked_device would visit.
  virtual std::int64_t count_unblocked_devices(std::string_view project_id, std::span<const domain::Channel> channels,
                                               std::span<const std::string> tags) = 0;
};

}  // namespace apiota::store
