#include "domain/rate_limiter.h"

#include <algorithm>
#include <limits>

namespace apiota::domain {
namespace {

using Clock = std::chrono::steady_clock;

constexpr Clock::rep kNeverSwept = std::numeric_limits<Clock::rep>::min();
constexpr Clock::duration kSweepInterval = std::chrono::seconds(1);

double effective_capacity(const RateLimit& limit) { return limit.burst >= 1.0 ? limit.burst : 1.0; }

bool is_unlimited(const RateLimit& limit) { return !(limit.per_minute > 0); }

}  // namespace

RateLimiter::RateLimiter(std::size_t max_keys) : max_keys_(max_keys), last_sweep_(kNeverSwept) {}

double RateLimiter::tokens_at(const Bucket& bucket, TimePoint now) {
  if (now <= bucket.updated) return bucket.tokens;
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - bucket.updated).count();
  return std::min(bucket.capacity, bucket.tokens + minutes * bucket.per_minute);
}

RateLimiter::Shard& RateLimiter::shard_for(std::string_view key) { return shards_[KeyHash{}(key) % kShardCount]; }

bool RateLimiter::try_reserve_slot() {
  std::size_t current = size_.load(std::memory_order_relaxed);
  while (current < max_keys_) {
    if (size_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

// Takes a token from `key`'s bucket, creating the bucket if a slot is free,
// and returns whether the request is allowed. Returns std::nullopt when the
// key is untracked and the table is full.
std::optional<bool> RateLimiter::try_take(std::string_view key, const RateLimit& limit, TimePoint now) {
  Shard& shard = shard_for(key);
  const std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (!try_reserve_slot()) return std::nullopt;
    const double capacity = effective_capacity(limit);
    try {
      it = shard.buckets.emplace(std::string(key), Bucket{capacity, limit.per_minute, capacity, now}).first;
    } catch (...) {
      size_.fetch_sub(1, std::memory_order_relaxed);
      throw;
    }
  }
  Bucket& bucket = it->second;
  const double tokens = tokens_at(bucket, now);
  bucket.per_minute = limit.per_minute;
  bucket.capacity = effective_capacity(limit);
  bucket.tokens = std::min(tokens, bucket.capacity);
  bucket.updated = std::max(bucket.updated, now);
  if (bucket.tokens < 1.0) return false;
  bucket.tokens -= 1.0;
  return true;
}

void RateLimiter::sweep_if_due(TimePoint now) {
  const Clock::rep now_ticks = now.time_since_epoch().count();
  Clock::rep last = last_sweep_.load(std::memory_order_relaxed);
  if (last != kNeverSwept && now_ticks - last < kSweepInterval.count()) return;
  // Only the thread that wins the exchange sweeps; the others fail open.
  if (!last_sweep_.compare_exchange_strong(last, now_ticks, std::memory_order_relaxed)) return;
  prune(now);
}

bool RateLimiter::allow(std::string_view key, const RateLimit& limit, TimePoint now) {
  if (is_unlimited(limit)) return true;
  if (const std::optional<bool> allowed = try_take(key, limit, now)) return *allowed;
  sweep_if_due(now);
  // Still no room: fail open rather than grow (see the header).
  return try_take(key, limit, now).value_or(true);
}

std::size_t RateLimiter::prune(TimePoint now) {
  std::size_t total = 0;
  for (Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    const std::size_t dropped = std::erase_if(
        shard.buckets, [now](const auto& entry) { return tokens_at(entry.second, now) >= entry.second.capacity; });
    size_.fetch_sub(dropped, std::memory_order_relaxed);
    total += dropped;
  }
  return total;
}

std::size_t RateLimiter::size() const { return size_.load(std::memory_order_relaxed); }

}  // namespace apiota::domain
