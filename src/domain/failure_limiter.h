#pragma once

// FailureLimiter: counts failed authentications per key (a device id, a
// client address) and locks a key out after a burst of them, so that a
// secret cannot be guessed faster than `max_failures` tries per `lockout`
// (docs/security.md, "Guessing").
//
// Counting: a key's failures are counted in a window of `lockout` that
// starts with its first failure; the window's `max_failures`-th failure
// locks the key out for `lockout` from that moment, and counting starts
// afresh when the lock-out ends. While a key is locked out, locked_out()
// gives the time left and record_failure() changes nothing, so failures
// cannot lengthen a lock-out. Callers answer a locked-out request without
// checking its credential, so the answer tells a guesser nothing.
// max_failures == 0 turns the limiter off: nothing is tracked or locked.
//
// Known peer: a key may have one known peer (for a device: the address it
// last authenticated from). The known peer's failures and everyone else's
// are counted and locked apart, in two lanes: others cannot lock the known
// peer out, and the known peer's own failures are limited just the same. A
// new key takes its known peer from record_failure()'s hint; record_success()
// moves it to the peer that succeeded. An empty peer is never the known peer.
//
// Success path: tracks() is one atomic load of a small counting filter
// indexed by the key's hash; false means the key certainly has no state.
// locked_out() and record_success() return at once, without a lock, then.
//
// Memory: at most `max_keys` keys. A key whose lanes neither count nor lock
// is idle: locked_out() drops it when it meets it, and prune() drops all of
// them (call it periodically). When a new key finds the table full,
// record_failure() prunes (at most once per second of `now`) and, if still
// full, does not track the key: fail-open, like RateLimiter, so a flood of
// keys cannot exhaust memory, while the keys already tracked stay limited.
//
// Time is passed in, never read; a `now` earlier than a recorded time counts
// as no time passed. Thread safety: all member functions may be called
// concurrently; keys are spread over independently locked shards.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace apiota::domain {

struct FailurePolicy {
  std::uint32_t max_failures = 10;  // per window and lane; 0 = off
  std::chrono::seconds lockout{60};
};

class FailureLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit FailureLimiter(FailurePolicy policy, std::size_t max_keys = 1'000'000);

  FailureLimiter(const FailureLimiter&) = delete;
  FailureLimiter& operator=(const FailureLimiter&) = delete;

  const FailurePolicy& policy() const { return policy_; }

  // False when `key` has no state; true may be a false positive (another
  // key with the same filter slot).
  bool tracks(std::string_view key) const;

  // How long `peer` stays locked out of `key`, or nullopt when it is not.
  std::optional<Clock::duration> locked_out(std::string_view key, std::string_view peer, Clock::time_point now);

  // Counts a failure by `peer` on `key`; `known_peer` becomes the key's known
  // peer if the key is new. Returns true when this failure started a lock-out.
  bool record_failure(std::string_view key, std::string_view peer, std::string_view known_peer, Clock::time_point now);

  // `peer` authenticated as `key`: it becomes the key's known peer (with a
  // fresh lane) if the key is tracked. Call it only when `peer` is not locked
  // out.
  void record_success(std::string_view key, std::string_view peer);

  // Drops idle keys; returns how many.
  std::size_t prune(Clock::time_point now);

  // The number of keys tracked.
  std::size_t size() const;

 private:
  struct Lane {
    std::uint32_t failures = 0;
    Clock::time_point window_end{};    // failures counted until then
    Clock::time_point locked_until{};  // locked out until then
  };

  struct Entry {
    std::string known_peer;
    Lane others;
    Lane known;
  };

  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
  };

  using Entries = std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>>;

  // Cache-line aligned so that shards locked by different threads do not
  // share a line.
  struct alignas(64) Shard {
    std::mutex mutex;
    Entries entries;
  };

  // The filter has a multiple of the shard count slots, so a slot's keys all
  // live in one shard and its count changes under that shard's lock.
  static constexpr std::size_t kShardCount = 64;
  static constexpr std::size_t kFilterSlots = 4096;
  static_assert(kFilterSlots % kShardCount == 0);

  static bool idle(const Entry& entry, Clock::time_point now);
  static Lane& lane_of(Entry& entry, std::string_view peer);
  // Counts one failure in `lane`; true when it started a lock-out.
  bool count(Lane& lane, Clock::time_point now) const;

  Shard& shard_of(std::size_t hash) { return shards_[hash % kShardCount]; }
  std::atomic<std::uint32_t>& slot_of(std::size_t hash) { return filter_[hash % kFilterSlots]; }
  // record_failure() on a tracked key or one there is room for; nullopt
  // when the key is new and the table is full.
  std::optional<bool> try_record(std::string_view key, std::string_view peer, std::string_view known_peer,
                                 Clock::time_point now);
  // Both under the shard's lock.
  Entries::iterator insert(Shard& shard, std::size_t hash, std::string_view key, std::string_view known_peer);
  Entries::iterator erase(Shard& shard, Entries::iterator it);
  bool try_reserve_slot();
  void sweep_if_due(Clock::time_point now);

  const FailurePolicy policy_;
  const std::size_t max_keys_;
  std::atomic<std::size_t> size_{0};
  std::atomic<Clock::rep> last_sweep_;
  std::array<Shard, kShardCount> shards_;
  std::array<std::atomic<std::uint32_t>, kFilterSlots> filter_{};
};

}  // namespace apiota::domain
