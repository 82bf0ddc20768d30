#include "domain/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <string>
#include <thread>
#include <vector>

using namespace apiota::domain;
using namespace std::chrono_literals;

namespace {

using TimePoint = std::chrono::steady_clock::time_point;

const TimePoint t0 = TimePoint{} + 1000h;

int count_allowed(RateLimiter& limiter, std::string_view key, const RateLimit& limit, TimePoint now, int attempts) {
  int allowed = 0;
  for (int i = 0; i < attempts; ++i) allowed += limiter.allow(key, limit, now) ? 1 : 0;
  return allowed;
}

TEST(RateLimiter, BurstIsExhaustedWithoutTimePassing) {
  RateLimiter limiter;
  const RateLimit limit{30, 20};
  EXPECT_EQ(count_allowed(limiter, "dev-1", limit, t0, 20), 20);
  EXPECT_FALSE(limiter.allow("dev-1", limit, t0));
  EXPECT_FALSE(limiter.allow("dev-1", limit, t0));
  EXPECT_EQ(limiter.size(), 1u);
}

struct RefillCase {
  const char* description;
  RateLimit limit;
  std::chrono::milliseconds elapsed;
  int expected_allowed;  // after draining the bucket, at t0 + elapsed
};

TEST(RateLimiter, RefillsOverTime) {
  const std::vector<RefillCase> cases = {
      {"no time", {60, 5}, 0ms, 0},
      {"just under one token", {60, 5}, 999ms, 0},
      {"exactly one token", {60, 5}, 1000ms, 1},
      {"two and a half tokens", {60, 5}, 2500ms, 2},
      {"capped at burst", {60, 5}, 1h, 5},
      {"slow rate, half a minute", {1, 3}, 30s, 0},
      {"slow rate, one minute", {1, 3}, 60s, 1},
      {"30/min, ten seconds", {30, 20}, 10s, 5},
      {"fractional burst rounds up to one", {60, 0.5}, 1h, 1},
      {"zero burst admits one", {60, 0}, 1h, 1},
  };
  for (const RefillCase& c : cases) {
    SCOPED_TRACE(c.description);
    RateLimiter limiter;
    while (limiter.allow("k", c.limit, t0)) {
    }
    EXPECT_EQ(count_allowed(limiter, "k", c.limit, t0 + c.elapsed, 100), c.expected_allowed);
  }
}

TEST(RateLimiter, SteadyRateIsSustained) {
  RateLimiter limiter;
  const RateLimit limit{60, 1};
  int allowed = 0;
  for (int second = 0; second < 120; ++second) {
    allowed += count_allowed(limiter, "k", limit, t0 + std::chrono::seconds(second), 3);
  }
  EXPECT_EQ(allowed, 120);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter;
  const RateLimit limit{10, 3};
  EXPECT_EQ(count_allowed(limiter, "a", limit, t0, 5), 3);
  EXPECT_EQ(count_allowed(limiter, "b", limit, t0, 5), 3);
  EXPECT_EQ(count_allowed(limiter, "a", limit, t0, 5), 0);
  EXPECT_EQ(count_allowed(limiter, std::string("a\0b", 3), limit, t0, 5), 3);
  EXPECT_EQ(limiter.size(), 3u);
}

TEST(RateLimiter, UnlimitedNeverRefusesAndTracksNothing) {
  RateLimiter limiter;
  for (const double per_minute : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(count_allowed(limiter, "k", RateLimit{per_minute, 1}, t0, 1000), 1000);
  }
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, TimeGoingBackwardsAddsNoTokens) {
  RateLimiter limiter;
  const RateLimit limit{60, 2};
  EXPECT_EQ(count_allowed(limiter, "k", limit, t0 + 10s, 2), 2);
  EXPECT_EQ(count_allowed(limiter, "k", limit, t0, 5), 0);
  EXPECT_EQ(count_allowed(limiter, "k", limit, t0 + 10s, 5), 0);
  EXPECT_EQ(count_allowed(limiter, "k", limit, t0 + 11s, 5), 1);
}

TEST(RateLimiter, LoweredBurstClampsTheBucket) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.allow("k", RateLimit{60, 100}, t0));
  EXPECT_EQ(count_allowed(limiter, "k", RateLimit{60, 3}, t0, 10), 3);
}

TEST(RateLimiter, PruneDropsOnlyRefilledBuckets) {
  RateLimiter limiter;
  const RateLimit limit{60, 5};
  EXPECT_TRUE(limiter.allow("idle", limit, t0));
  EXPECT_EQ(count_allowed(limiter, "busy", limit, t0 + 9s, 5), 5);
  ASSERT_EQ(limiter.size(), 2u);

  EXPECT_EQ(limiter.prune(t0 + 500ms), 0u);
  EXPECT_EQ(limiter.prune(t0 + 10s), 1u);  // idle refilled after 1 s
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_EQ(limiter.prune(t0 + 14s), 1u);  // busy needed 5 s
  EXPECT_EQ(limiter.size(), 0u);
  EXPECT_EQ(limiter.prune(t0 + 1h), 0u);

  // A pruned key starts over with a full bucket, exactly as if kept.
  EXPECT_EQ(count_allowed(limiter, "busy", limit, t0 + 14s, 10), 5);
}

TEST(RateLimiter, FailsOpenWhenFullAndNothingCanBePruned) {
  RateLimiter limiter(2);
  const RateLimit limit{1, 1};
  EXPECT_TRUE(limiter.allow("a", limit, t0));
  EXPECT_TRUE(limiter.allow("b", limit, t0));
  EXPECT_FALSE(limiter.allow("a", limit, t0));
  EXPECT_EQ(limiter.size(), 2u);

  // Table full, "a" and "b" still draining: "c" is admitted untracked.
  EXPECT_EQ(count_allowed(limiter, "c", limit, t0, 10), 10);
  EXPECT_EQ(limiter.size(), 2u);
  // Tracked keys stay limited.
  EXPECT_FALSE(limiter.allow("b", limit, t0));
}

TEST(RateLimiter, PrunesToMakeRoomForNewKeys) {
  RateLimiter limiter(2);
  const RateLimit limit{60, 1};
  EXPECT_TRUE(limiter.allow("a", limit, t0));
  EXPECT_TRUE(limiter.allow("b", limit, t0));
  // Both refill after 1 s; the next new key sweeps them and is tracked.
  EXPECT_TRUE(limiter.allow("c", limit, t0 + 2s));
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_FALSE(limiter.allow("c", limit, t0 + 2s));
}

TEST(RateLimiter, FullTableSweepsAtMostOncePerSecond) {
  RateLimiter limiter(1);
  const RateLimit slow{1, 1};
  const RateLimit fast{600, 1};
  EXPECT_TRUE(limiter.allow("slow", slow, t0));
  EXPECT_TRUE(limiter.allow("x", fast, t0));  // untracked: sweep found nothing
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_EQ(limiter.prune(t0 + 59s), 0u);
  // "slow" is full again at t0 + 60s.
  EXPECT_TRUE(limiter.allow("y", fast, t0 + 60s));  // sweeps, "y" tracked
  EXPECT_FALSE(limiter.allow("y", fast, t0 + 60s));
  // "y" refills within 0.1 s, but no sweep runs again until a second has
  // passed since the last one, so "z" goes untracked.
  EXPECT_TRUE(limiter.allow("z", fast, t0 + 60s + 500ms));
  EXPECT_TRUE(limiter.allow("z", fast, t0 + 60s + 500ms));
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_TRUE(limiter.allow("z", fast, t0 + 61s));  // sweeps, "z" tracked
  EXPECT_FALSE(limiter.allow("z", fast, t0 + 61s));
}

TEST(RateLimiter, ZeroCapacityAlwaysFailsOpen) {
  RateLimiter limiter(0);
  EXPECT_EQ(count_allowed(limiter, "k", RateLimit{1, 1}, t0, 10), 10);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, ConcurrentUseAllowsExactlyTheBurst) {
  RateLimiter limiter;
  const RateLimit limit{30, 50};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (limiter.allow("shared", limit, t0)) allowed.fetch_add(1);
        limiter.allow("own-" + std::to_string(i % 64), limit, t0);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 50);
  EXPECT_EQ(limiter.size(), 65u);
}

TEST(RateLimiter, ConcurrentNewKeysRespectMaxKeys) {
  RateLimiter limiter(100);
  const RateLimit limit{1, 1};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) limiter.allow(std::to_string(t) + "/" + std::to_string(i), limit, t0);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(limiter.size(), 100u);
}

}  // namespace
