#pragma once
// SnapshotCache<T>: one computed value (a statistics snapshot) served to
// many readers, recomputed by at most one of them at a time.
//
// get(compute) answers the current snapshot while it is fresh: for 10 times
// as long as computing it took, and never longer than kMaxAge. When it is
// stale:
// - if computing is cheap (the last computation took at most kInlineLimit)
//   or there is no snapshot yet, the caller computes it and answers the new
//   one; callers arriving meanwhile wait for that computation instead of
//   starting their own (single flight), and a failure is thrown to its caller
//   only (the next get() tries again);
// - otherwise the caller answers the stale snapshot at once and a background
//   thread computes the next one, unless one is already computing: so a long
//   computation never holds up a request, and the numbers served are at most
//   kMaxAge plus one computation old. A failed background computation is
//   logged and keeps the old snapshot.
// Ages and costs are read from the Env's steady clock. Thread-safe. The
// destructor waits for a background computation to finish; `compute` must
// stay callable until then.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "env/env.h"

namespace apiota::service {

template <class T>
class SnapshotCache {
 public:
  static constexpr std::chrono::milliseconds kMaxAge{5000};
  static constexpr std::chrono::milliseconds kInlineLimit{50};
  static constexpr int kFreshCostMultiple = 10;

  explicit SnapshotCache(env::Env& env) : env_(env) {}
  SnapshotCache(const SnapshotCache&) = delete;
  SnapshotCache& operator=(const SnapshotCache&) = delete;
  ~SnapshotCache() {
    std::unique_lock lock(mutex_);
    if (worker_.joinable()) {
      lock.unlock();
      worker_.join();
    }
  }

  std::shared_ptr<const T> get(const std::function<T()>& compute) {
    std::unique_lock lock(mutex_);
    if (value_ && env_.steady_now() - computed_at_ <= fresh_for()) return value_;
    if (value_ && cost_ > kInlineLimit) {
      if (!computing_) start_background(compute);
      return value_;
    }
    if (computing_) {
      const std::uint64_t seen = generation_;
      ready_.wait(lock, [&] { return !computing_; });
      if (generation_ != seen && value_) return value_;
    }
    computing_ = true;
    lock.unlock();
    try {
      auto [value, started] = run(compute);
      lock.lock();
      store(std::move(value), started);
      return value_;
    } catch (...) {
      if (!lock.owns_lock()) lock.lock();
      computing_ = false;
      ready_.notify_all();
      throw;
    }
  }

 private:
  std::chrono::steady_clock::duration fresh_for() const {
    return std::min<std::chrono::steady_clock::duration>(kMaxAge, cost_ * kFreshCostMultiple);
  }

  std::pair<std::shared_ptr<const T>, std::chrono::steady_clock::time_point> run(const std::function<T()>& compute) {
    const auto started = env_.steady_now();
    return {std::make_shared<const T>(compute()), started};
  }

  // Under mutex_: publishes a computed snapshot and wakes the waiters.
  void store(std::shared_ptr<const T> value, std::chrono::steady_clock::time_point started) {
    const auto now = env_.steady_now();
    value_ = std::move(value);
    computed_at_ = now;
    cost_ = now - started;
    ++generation_;
    computing_ = false;
    ready_.notify_all();
  }

  // Under mutex_, with no computation running: the previous worker has
  // published (or logged) and only returns, so joining it here is brief.
  void start_background(const std::function<T()>& compute) {
    if (worker_.joinable()) worker_.join();
    computing_ = true;
    worker_ = std::thread([this, compute] {
      try {
        auto [value, started] = run(compute);
        std::lock_guard lock(mutex_);
        store(std::move(value), started);
      } catch (const std::exception& e) {
        spdlog::warn("statistics: refreshing a snapshot failed: {}", e.what());
        give_up();
      } catch (...) {
        spdlog::warn("statistics: refreshing a snapshot failed");
        give_up();
      }
    });
  }

  void give_up() {
    std::lock_guard lock(mutex_);
    computing_ = false;
    ready_.notify_all();
  }

  env::Env& env_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::shared_ptr<const T> value_;
  std::chrono::steady_clock::time_point computed_at_{};
  std::chrono::steady_clock::duration cost_{};
  std::uint64_t generation_ = 0;
  bool computing_ = false;
  std::thread worker_;
};

}  // namespace apiota::service
