#include "service/snapshot_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/fake_env.h"

namespace apiota::service {
namespace {

using namespace std::chrono_literals;

// A computation that takes `cost` on the fake clock and answers how many
// times it ran.
struct Counting {
  testing::FakeEnv& env;
  std::chrono::milliseconds cost;
  std::atomic<int> runs{0};
  std::function<int()> fn() {
    return [this] {
      env.advance(cost);
      return ++runs;
    };
  }
};

int wait_for_value(SnapshotCache<int>& cache, const std::function<int()>& compute, int wanted) {
  int got = 0;
  for (int i = 0; i < 500 && got != wanted; ++i) {
    got = *cache.get(compute);
    if (got != wanted) std::this_thread::sleep_for(2ms);
  }
  return got;
}

TEST(SnapshotCache, ACheapSnapshotIsRecomputedOnceTheClockMoves) {
  testing::FakeEnv env;
  SnapshotCache<int> cache(env);
  Counting counting{env, 0ms};
  const auto compute = counting.fn();
  EXPECT_EQ(*cache.get(compute), 1);
  EXPECT_EQ(*cache.get(compute), 1);
  env.advance(1ms);
  EXPECT_EQ(*cache.get(compute), 2);
}

TEST(SnapshotCache, ACostlySnapshotIsFreshForTenTimesItsCostThenRefreshedInTheBackground) {
  testing::FakeEnv env;
  SnapshotCache<int> cache(env);
  Counting counting{env, 100ms};
  const auto compute = counting.fn();
  EXPECT_EQ(*cache.get(compute), 1);  // no snapshot yet: computed by the caller
  env.advance(1000ms);
  EXPECT_EQ(*cache.get(compute), 1);
  env.advance(1ms);
  EXPECT_EQ(*cache.get(compute), 1) << "stale, answered at once while refreshed";
  EXPECT_EQ(wait_for_value(cache, compute, 2), 2);
  EXPECT_EQ(counting.runs.load(), 2);
}

TEST(SnapshotCache, FreshnessIsCappedAtTheMaximumAge) {
  testing::FakeEnv env;
  SnapshotCache<int> cache(env);
  Counting counting{env, 2000ms};
  const auto compute = counting.fn();
  EXPECT_EQ(*cache.get(compute), 1);
  env.advance(SnapshotCache<int>::kMaxAge);
  EXPECT_EQ(*cache.get(compute), 1);
  EXPECT_EQ(counting.runs.load(), 1);
  env.advance(1ms);
  EXPECT_EQ(wait_for_value(cache, compute, 2), 2);
}

TEST(SnapshotCache, ConcurrentCallersShareOneComputation) {
  testing::FakeEnv env;
  SnapshotCache<int> cache(env);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> runs{0};
  const std::function<int()> compute = [&] {
    released.wait();
    return ++runs;
  };
  std::vector<std::future<int>> answers;
  for (int i = 0; i < 4; ++i) answers.push_back(std::async(std::launch::async, [&] { return *cache.get(compute); }));
  std::this_thread::sleep_for(50ms);
  release.set_value();
  for (auto& answer : answers) EXPECT_EQ(answer.get(), 1);
  EXPECT_EQ(runs.load(), 1);
}

TEST(SnapshotCache, AFailedComputationThrowsToItsCallerAndTheNextOneRetries) {
  testing::FakeEnv env;
  SnapshotCache<int> cache(env);
  bool fail = true;
  const std::function<int()> compute = [&] {
    if (fail) throw std::runtime_error("store down");
    return 7;
  };
  EXPECT_THROW(cache.get(compute), std::runtime_error);
  fail = false;
  EXPECT_EQ(*cache.get(compute), 7);
}

}  // namespace
}  // namespace apiota::service
