#include "domain/cohort.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

using namespace apiota::domain;

namespace {

constexpr int kFleetSize = 100000;

std::vector<std::string> fleet() {
  std::vector<std::string> ids;
  ids.reserve(kFleetSize);
  for (int i = 0; i < kFleetSize; ++i) ids.push_back("dev-" + std::to_string(i));
  return ids;
}

double share_inside(const std::vector<std::string>& ids, std::string_view release_key, double percent) {
  int inside = 0;
  for (const std::string& id : ids) inside += in_rollout(id, release_key, percent) ? 1 : 0;
  return 100.0 * inside / static_cast<double>(ids.size());
}

struct GoldenCase {
  const char* device_id;
  const char* release_key;
  std::uint32_t bucket;
};

// Buckets computed outside this code base with
//   printf 'apiota-cohort\n%s\n%s' ID KEY | sha256sum
// (first 16 hex digits as an integer, mod 10000). If one of these changes,
// every fleet's cohorts have been reshuffled.
TEST(CohortBucket, MatchesTheDocumentedFormula) {
  const std::vector<GoldenCase> cases = {
      {"esp32-AA:BB:CC:DD:EE:FF", "1", 5685},
      {"dev-0", "42", 6617},
      {"dev-1", "42", 956},
      {"dev-0", "43", 5445},
  };
  for (const GoldenCase& c : cases) {
    SCOPED_TRACE(std::string(c.device_id) + " / " + c.release_key);
    EXPECT_EQ(cohort_bucket(c.device_id, c.release_key), c.bucket);
  }
}

TEST(CohortBucket, IsStableAcrossCalls) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = "dev-" + std::to_string(i);
    const std::uint32_t first = cohort_bucket(id, "7");
    EXPECT_LT(first, kCohortBuckets);
    EXPECT_EQ(cohort_bucket(id, "7"), first);
    EXPECT_EQ(in_rollout(id, "7", 33), in_rollout(id, "7", 33));
  }
}

TEST(CohortBucket, SeparatorKeepsIdAndKeyApart) {
  EXPECT_NE(cohort_bucket("dev-1", "23"), cohort_bucket("dev-12", "3"));
}

TEST(InRollout, ZeroIncludesNobodyAndHundredEverybody) {
  const std::vector<std::string> ids = fleet();
  EXPECT_EQ(share_inside(ids, "1", 0), 0.0);
  EXPECT_EQ(share_inside(ids, "1", 100), 100.0);
}

TEST(InRollout, OutOfRangeAndNaNPercentsAreClamped) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 200; ++i) {
    const std::string id = "dev-" + std::to_string(i);
    EXPECT_FALSE(in_rollout(id, "1", -5));
    EXPECT_FALSE(in_rollout(id, "1", -inf));
    EXPECT_FALSE(in_rollout(id, "1", nan));
    EXPECT_FALSE(in_rollout(id, "1", 0.004));
    EXPECT_TRUE(in_rollout(id, "1", 150));
    EXPECT_TRUE(in_rollout(id, "1", inf));
  }
}

TEST(InRollout, ThresholdHasHundredthResolution) {
  // For a device in bucket b, b/100 percent admits buckets [0, b) and so
  // excludes it, while (b+1)/100 includes it.
  for (int i = 0; i < 500; ++i) {
    const std::string id = "dev-" + std::to_string(i);
    const std::uint32_t bucket = cohort_bucket(id, "9");
    SCOPED_TRACE(id + " in bucket " + std::to_string(bucket));
    EXPECT_FALSE(in_rollout(id, "9", bucket / 100.0));
    EXPECT_TRUE(in_rollout(id, "9", (bucket + 1) / 100.0));
  }
}

TEST(InRollout, DecimalPercentsThatAreInexactInBinaryRoundCorrectly) {
  // 0.29 * 100 is 28.999999999999996 in binary floating point; a truncating
  // implementation would admit only 28 buckets.
  bool found = false;
  for (int i = 0; i < kFleetSize && !found; ++i) {
    const std::string id = "dev-" + std::to_string(i);
    if (cohort_bucket(id, "1") != 28) continue;
    found = true;
    EXPECT_TRUE(in_rollout(id, "1", 0.29));
    EXPECT_FALSE(in_rollout(id, "1", 0.28));
  }
  EXPECT_TRUE(found);
}

TEST(InRollout, IsMonotoneInPercent) {
  const std::vector<double> percents = {0, 0.01, 0.5, 1, 2.5, 5, 10, 12.25, 25, 50, 75, 99.99, 100};
  for (int i = 0; i < 2000; ++i) {
    const std::string id = "dev-" + std::to_string(i);
    bool was_inside = false;
    for (double p : percents) {
      const bool inside = in_rollout(id, "5", p);
      EXPECT_TRUE(inside || !was_inside) << id << " dropped out at " << p << "%";
      was_inside = inside;
    }
    EXPECT_TRUE(was_inside);
  }
}

struct ShareCase {
  double percent;
  double tolerance;  // percentage points
};

TEST(InRollout, SharesAreUniformAcrossTheFleet) {
  const std::vector<std::string> ids = fleet();
  const std::vector<ShareCase> cases = {{1, 0.2}, {10, 0.5}, {50, 0.5}};
  for (const ShareCase& c : cases) {
    SCOPED_TRACE(c.percent);
    EXPECT_NEAR(share_inside(ids, "1", c.percent), c.percent, c.tolerance);
    EXPECT_NEAR(share_inside(ids, "2", c.percent), c.percent, c.tolerance);
  }
}

TEST(CohortBucket, BucketDecilesAreEvenlyFilled) {
  std::vector<int> deciles(10, 0);
  for (const std::string& id : fleet()) ++deciles[cohort_bucket(id, "3") / (kCohortBuckets / 10)];
  for (std::size_t d = 0; d < deciles.size(); ++d) {
    SCOPED_TRACE(d);
    EXPECT_NEAR(deciles[d], kFleetSize / 10, kFleetSize / 200);
  }
}

TEST(InRollout, DifferentReleasesDrawIndependentCohorts) {
  int overlap = 0;
  for (const std::string& id : fleet()) {
    if (in_rollout(id, "1", 10) && in_rollout(id, "2", 10)) ++overlap;
  }
  EXPECT_NEAR(100.0 * overlap / kFleetSize, 1.0, 0.3);
}

}  // namespace

// cohort_bucket() keeps one hasher per thread: threads hashing at once get
// the buckets one thread gets alone.
TEST(CohortBucket, ThreadsHashingAtOnceAgreeWithOneThread) {
  const std::vector<std::string> ids = fleet();
  std::vector<std::uint32_t> expected;
  expected.reserve(ids.size());
  for (const std::string& id : ids) expected.push_back(cohort_bucket(id, "11"));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < ids.size(); i += mismatches.size()) mismatches[t] += cohort_bucket(ids[i], "11") != expected[i];
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}
