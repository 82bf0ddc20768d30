#pragma once

// A token-bucket rate limiter keyed by string (a device id, a client
// address, a key id...).
//
// Each key owns a bucket holding up to `burst` tokens that refills at
// `per_minute` tokens per minute. allow() takes one token and returns true,
// or returns false when the bucket holds less than one token. A bucket is
// created full on a key's first use. The limit is passed on every call so
// that plan changes apply at once; a bucket's fill is clamped to the current
// burst. A burst below 1 (or NaN) is treated as 1, since such a bucket
// could never admit anything. A per_minute <= 0 (or NaN) means unlimited: allow() then
// returns true without creating a bucket.
//
// Time is always passed in, never read, so behaviour is deterministic under
// test. Times that go backwards (callers racing between reading the clock
// and calling in) are treated as no elapsed time.
//
// Memory is bounded by `max_keys` buckets. prune() drops buckets that have
// refilled completely, which loses nothing because a new bucket starts full;
// call it periodically. When a new key arrives and the table is full, allow()
// prunes first (at most one sweep per second of `now`, so a flood of fresh
// keys cannot make every call scan the table) and, if there is still no
// room, admits the request without tracking the key. This is deliberately
// fail-open: the limiter must never become a memory-exhaustion or
// lock-out vector, and the keys already tracked stay limited.
//
// Thread safety: all member functions may be called concurrently. Keys are
// spread over independently locked shards, so threads working on different
// keys rarely contend.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace apiota::domain {

struct RateLimit {
  double per_minute;
  double burst;
};

class RateLimiter {
 public:
  explicit RateLimiter(std::size_t max_keys = 1'000'000);

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  bool allow(std::string_view key, const RateLimit& limit, std::chrono::steady_clock::time_point now);

  // Returns how many buckets were dropped.
  std::size_t prune(std::chrono::steady_clock::time_point now);

  // The number of keys currently tracked.
  std::size_t size() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Bucket {
    double tokens;
    // The limit of the latest call, so prune() can tell when it is full.
    double per_minute;
    double capacity;
    TimePoint updated;
  };

  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
  };

  // Cache-line aligned so that shards locked by different threads do not
  // share a line.
  struct alignas(64) Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket, KeyHash, std::equal_to<>> buckets;
  };

  static constexpr std::size_t kShardCount = 16;

  // The bucket's fill at `now`, without modifying it.
  static double tokens_at(const Bucket& bucket, TimePoint now);

  Shard& shard_for(std::string_view key);
  bool try_reserve_slot();
  std::optional<bool> try_take(std::string_view key, const RateLimit& limit, TimePoint now);
  void sweep_if_due(TimePoint now);

  const std::size_t max_keys_;
  std::atomic<std::size_t> size_{0};
  std::atomic<TimePoint::rep> last_sweep_;
  std::array<Shard, kShardCount> shards_;
};

}  // namespace apiota::domain
