#include "domain/failure_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace apiota::domain {
namespace {

using namespace std::chrono_literals;
using Clock = FailureLimiter::Clock;

const Clock::time_point t0 = Clock::time_point{} + 1h;
constexpr FailurePolicy kPolicy{3, 60s};

void fail(FailureLimiter& limiter, int times, std::string_view peer = "10.0.0.9", Clock::time_point at = t0) {
  for (int i = 0; i < times; ++i) limiter.record_failure("dev", peer, "", at);
}

TEST(FailureLimiter, TheBurstLocksTheKeyOutForTheLockout) {
  FailureLimiter limiter(kPolicy);
  EXPECT_FALSE(limiter.record_failure("dev", "10.0.0.1", "", t0));
  EXPECT_FALSE(limiter.record_failure("dev", "10.0.0.2", "", t0 + 1s));
  EXPECT_FALSE(limiter.locked_out("dev", "10.0.0.3", t0 + 1s));
  EXPECT_TRUE(limiter.record_failure("dev", "10.0.0.3", "", t0 + 2s));
  // Every peer but the known one is locked out, for the whole lock-out.
  EXPECT_EQ(limiter.locked_out("dev", "10.0.0.4", t0 + 2s), Clock::duration(60s));
  EXPECT_EQ(limiter.locked_out("dev", "10.0.0.1", t0 + 52s), Clock::duration(10s));
  EXPECT_FALSE(limiter.locked_out("dev", "10.0.0.1", t0 + 62s));
  // Other keys are not affected.
  EXPECT_FALSE(limiter.locked_out("other", "10.0.0.4", t0 + 2s));
}

TEST(FailureLimiter, FailuresDuringALockoutDoNotLengthenIt) {
  FailureLimiter limiter(kPolicy);
  fail(limiter, 3);
  fail(limiter, 50, "10.0.0.9", t0 + 30s);
  EXPECT_EQ(limiter.locked_out("dev", "10.0.0.9", t0 + 30s), Clock::duration(30s));
  EXPECT_FALSE(limiter.locked_out("dev", "10.0.0.9", t0 + 60s));
}

TEST(FailureLimiter, CountingStartsAfreshAfterALockout) {
  FailureLimiter limiter(kPolicy);
  fail(limiter, 3);
  fail(limiter, 2, "10.0.0.9", t0 + 60s);
  EXPECT_FALSE(limiter.locked_out("dev", "10.0.0.9", t0 + 60s));
  EXPECT_TRUE(limiter.record_failure("dev", "10.0.0.9", "", t0 + 61s));
  EXPECT_TRUE(limiter.locked_out("dev", "10.0.0.9", t0 + 61s));
}

TEST(FailureLimiter, FailuresOutsideOneWindowAreNotAdded) {
  FailureLimiter limiter(kPolicy);
  fail(limiter, 2);
  // The window of the first failure has passed: these two start a new one.
  fail(limiter, 2, "10.0.0.9", t0 + 60s);
  EXPECT_FALSE(limiter.locked_out("dev", "10.0.0.9", t0 + 60s));
  fail(limiter, 1, "10.0.0.9", t0 + 119s);
  EXPECT_TRUE(limiter.locked_out("dev", "10.0.0.9", t0 + 119s));
}

TEST(FailureLimiter, TheKnownPeerIsCountedAndLockedApart) {
  FailureLimiter limiter(kPolicy);
  for (int i = 0; i < 3; ++i) limiter.record_failure("dev", "attacker", "home", t0);
  EXPECT_TRUE(limiter.locked_out("dev", "attacker", t0));
  EXPECT_TRUE(limiter.locked_out("dev", "elsewhere", t0));
  EXPECT_FALSE(limiter.locked_out("dev", "home", t0));
  // The known peer's own failures are limited too, without touching the others' lane.
  for (int i = 0; i < 3; ++i) limiter.record_failure("dev", "home", "ignored: the key exists", t0 + 1s);
  EXPECT_EQ(limiter.locked_out("dev", "home", t0 + 1s), Clock::duration(60s));
  EXPECT_EQ(limiter.locked_out("dev", "attacker", t0 + 1s), Clock::duration(59s));
}

TEST(FailureLimiter, AnEmptyPeerIsNeverTheKnownPeer) {
  FailureLimiter limiter(kPolicy);
  for (int i = 0; i < 3; ++i) limiter.record_failure("dev", "", "", t0);
  EXPECT_TRUE(limiter.locked_out("dev", "", t0));
  EXPECT_TRUE(limiter.locked_out("dev", "anyone", t0));
}

TEST(FailureLimiter, ASuccessMovesTheKnownPeer) {
  FailureLimiter limiter(kPolicy);
  limiter.record_failure("dev", "attacker", "old-home", t0);
  limiter.record_success("dev", "new-home");
  for (int i = 0; i < 2; ++i) limiter.record_failure("dev", "attacker", "", t0);
  EXPECT_TRUE(limiter.locked_out("dev", "old-home", t0));
  EXPECT_FALSE(limiter.locked_out("dev", "new-home", t0));
}

TEST(FailureLimiter, ZeroFailuresTurnsItOff) {
  FailureLimiter limiter(FailurePolicy{0, 60s});
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.record_failure("dev", "p", "", t0));
  EXPECT_FALSE(limiter.locked_out("dev", "p", t0));
  EXPECT_FALSE(limiter.tracks("dev"));
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(FailureLimiter, TracksOnlyKeysWithStateAndDropsIdleOnes) {
  FailureLimiter limiter(kPolicy);
  EXPECT_FALSE(limiter.tracks("dev"));
  fail(limiter, 1);
  EXPECT_TRUE(limiter.tracks("dev"));
  EXPECT_EQ(limiter.size(), 1u);
  // Still counting at the end of the window; idle after it, and dropped on sight.
  EXPECT_FALSE(limiter.locked_out("dev", "p", t0 + 59s));
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_FALSE(limiter.locked_out("dev", "p", t0 + 60s));
  EXPECT_EQ(limiter.size(), 0u);
  EXPECT_FALSE(limiter.tracks("dev"));
}

TEST(FailureLimiter, PruneDropsIdleKeysOnly) {
  FailureLimiter limiter(kPolicy);
  limiter.record_failure("early", "p", "", t0);
  fail(limiter, 3, "p", t0 + 30s);
  EXPECT_EQ(limiter.prune(t0 + 60s), 1u);
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_FALSE(limiter.tracks("early"));
  EXPECT_TRUE(limiter.locked_out("dev", "p", t0 + 60s));
  EXPECT_EQ(limiter.prune(t0 + 90s), 1u);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(FailureLimiter, MemoryIsBoundedAndNewKeysFailOpenWhenFull) {
  FailureLimiter limiter(kPolicy, 2);
  limiter.record_failure("a", "p", "", t0);
  limiter.record_failure("b", "p", "", t0);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter.record_failure("c", "p", "", t0));
  EXPECT_EQ(limiter.size(), 2u);
  EXPECT_FALSE(limiter.locked_out("c", "p", t0));
  // Tracked keys stay limited.
  fail(limiter, 3, "p", t0);
  EXPECT_FALSE(limiter.locked_out("a", "p", t0));
  limiter.record_failure("a", "p", "", t0);
  limiter.record_failure("a", "p", "", t0);
  EXPECT_TRUE(limiter.locked_out("a", "p", t0));
  // Once the tracked keys are idle, a full table makes room for a new key.
  for (int i = 0; i < 3; ++i) limiter.record_failure("c", "p", "", t0 + 61s);
  EXPECT_TRUE(limiter.locked_out("c", "p", t0 + 61s));
  EXPECT_LE(limiter.size(), 2u);
}

TEST(FailureLimiter, ConcurrentFailuresOnOneKeyLockItExactlyOnce) {
  FailureLimiter limiter(FailurePolicy{1000, 60s});
  std::vector<std::thread> threads;
  std::atomic<int> lockouts{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (limiter.record_failure("dev", "p" + std::to_string(t), "", t0)) ++lockouts;
        limiter.record_failure("k" + std::to_string(t) + "-" + std::to_string(i), "p", "", t0);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(lockouts.load(), 1);
  EXPECT_TRUE(limiter.locked_out("dev", "p", t0));
  EXPECT_EQ(limiter.size(), 1u + 8u * 200u);
  EXPECT_EQ(limiter.prune(t0 + 60s), 1u + 8u * 200u);
  EXPECT_EQ(limiter.size(), 0u);
  EXPECT_FALSE(limiter.tracks("dev"));
}

}  // namespace
}  // namespace apiota::domain
