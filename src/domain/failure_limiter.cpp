#include "domain/failure_limiter.h"

#include <limits>

namespace apiota::domain {
namespace {

using Clock = FailureLimiter::Clock;

constexpr Clock::rep kNeverSwept = std::numeric_limits<Clock::rep>::min();
constexpr Clock::duration kSweepInterval = std::chrono::seconds(1);

}  // namespace

FailureLimiter::FailureLimiter(FailurePolicy policy, std::size_t max_keys)
    : policy_(policy), max_keys_(max_keys), last_sweep_(kNeverSwept) {}

bool FailureLimiter::idle(const Entry& entry, Clock::time_point now) {
  for (const Lane* lane : {&entry.others, &entry.known}) {
    if (now < lane->window_end || now < lane->locked_until) return false;
  }
  return true;
}

FailureLimiter::Lane& FailureLimiter::lane_of(Entry& entry, std::string_view peer) {
  return !peer.empty() && peer == entry.known_peer ? entry.known : entry.others;
}

bool FailureLimiter::count(Lane& lane, Clock::time_point now) const {
  if (now < lane.locked_until) return false;
  if (now >= lane.window_end) {
    lane.failures = 0;
    lane.window_end = now + policy_.lockout;
  }
  if (++lane.failures < policy_.max_failures) return false;
  lane.failures = 0;
  lane.locked_until = now + policy_.lockout;
  lane.window_end = lane.locked_until;
  return true;
}

bool FailureLimiter::tracks(std::string_view key) const {
  return filter_[KeyHash{}(key) % kFilterSlots].load(std::memory_order_acquire) != 0;
}

bool FailureLimiter::try_reserve_slot() {
  std::size_t current = size_.load(std::memory_order_relaxed);
  while (current < max_keys_) {
    if (size_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

FailureLimiter::Entries::iterator FailureLimiter::insert(Shard& shard, std::size_t hash, std::string_view key,
                                                         std::string_view known_peer) {
  if (!try_reserve_slot()) return shard.entries.end();
  Entries::iterator it;
  try {
    it = shard.entries.emplace(std::string(key), Entry{std::string(known_peer), {}, {}}).first;
  } catch (...) {
    size_.fetch_sub(1, std::memory_order_relaxed);
    throw;
  }
  slot_of(hash).fetch_add(1, std::memory_order_release);
  return it;
}

FailureLimiter::Entries::iterator FailureLimiter::erase(Shard& shard, Entries::iterator it) {
  slot_of(KeyHash{}(it->first)).fetch_sub(1, std::memory_order_release);
  size_.fetch_sub(1, std::memory_order_relaxed);
  return shard.entries.erase(it);
}

std::optional<Clock::duration> FailureLimiter::locked_out(std::string_view key, std::string_view peer,
                                                          Clock::time_point now) {
  if (!tracks(key)) return std::nullopt;
  Shard& shard = shard_of(KeyHash{}(key));
  const std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return std::nullopt;
  if (idle(it->second, now)) {
    erase(shard, it);
    return std::nullopt;
  }
  const Lane& lane = lane_of(it->second, peer);
  if (now < lane.locked_until) return lane.locked_until - now;
  return std::nullopt;
}

std::optional<bool> FailureLimiter::try_record(std::string_view key, std::string_view peer, std::string_view known_peer,
                                               Clock::time_point now) {
  const std::size_t hash = KeyHash{}(key);
  Shard& shard = shard_of(hash);
  const std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) it = insert(shard, hash, key, known_peer);
  if (it == shard.entries.end()) return std::nullopt;
  return count(lane_of(it->second, peer), now);
}

bool FailureLimiter::record_failure(std::string_view key, std::string_view peer, std::string_view known_peer,
                                    Clock::time_point now) {
  if (policy_.max_failures == 0) return false;
  if (const std::optional<bool> locked = try_record(key, peer, known_peer, now)) return *locked;
  sweep_if_due(now);
  // Still no room: leave the key untracked rather than grow (see the header).
  return try_record(key, peer, known_peer, now).value_or(false);
}

void FailureLimiter::record_success(std::string_view key, std::string_view peer) {
  if (peer.empty() || !tracks(key)) return;
  Shard& shard = shard_of(KeyHash{}(key));
  const std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end() || it->second.known_peer == peer) return;
  it->second.known_peer = std::string(peer);
  it->second.known = Lane{};
}

void FailureLimiter::sweep_if_due(Clock::time_point now) {
  const Clock::rep now_ticks = now.time_since_epoch().count();
  Clock::rep last = last_sweep_.load(std::memory_order_relaxed);
  if (last != kNeverSwept && now_ticks - last < kSweepInterval.count()) return;
  // Only the thread that wins the exchange sweeps; the others fail open.
  if (!last_sweep_.compare_exchange_strong(last, now_ticks, std::memory_order_relaxed)) return;
  prune(now);
}

std::size_t FailureLimiter::prune(Clock::time_point now) {
  std::size_t dropped = 0;
  for (Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
      if (idle(it->second, now)) {
        it = erase(shard, it);
        ++dropped;
      } else {
        ++it;
      }
    }
  }
  return dropped;
}

std::size_t FailureLimiter::size() const { return size_.load(std::memory_order_relaxed); }

}  // namespace apiota::domain
