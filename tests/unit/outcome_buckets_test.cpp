#include "domain/outcome_buckets.h"

#include <gtest/gtest.h>

using namespace apiota::domain;

namespace {

// 2026-11-25T20:30:00Z
constexpr std::int64_t kNow = 1'795'638'600'000;

TEST(OutcomeBuckets, HourBucketsStartOnTheHourAndEndWithTheCurrentOne) {
  const BucketSpan span = bucket_span(kNow, kHourMs, 24);
  EXPECT_EQ(span.count, 24);
  EXPECT_EQ(span.width_ms, kHourMs);
  const std::int64_t current = kNow - 30 * 60'000;  // 20:00
  EXPECT_EQ(span.first_start_ms, current - 23 * kHourMs);
  EXPECT_EQ(bucket_index(span, current), 23u);
  EXPECT_EQ(bucket_index(span, span.first_start_ms), 0u);
}

TEST(OutcomeBuckets, DayBucketsStartAtMidnightUtc) {
  const BucketSpan span = bucket_span(kNow, kDayMs, 7);
  EXPECT_EQ(span.first_start_ms % kDayMs, 0);
  EXPECT_EQ(span.first_start_ms, 1'795'564'800'000 - 6 * kDayMs);  // 2026-11-25T00:00Z, six days back
}

TEST(OutcomeBuckets, OneBucketIsTheCurrentOne) {
  const BucketSpan span = bucket_span(kNow, kHourMs, 1);
  EXPECT_EQ(span.first_start_ms, kNow - 30 * 60'000);
  EXPECT_EQ(bucket_index(span, span.first_start_ms), 0u);
}

TEST(OutcomeBuckets, StartsOutsideTheSpanOrBetweenBucketsHaveNoIndex) {
  const BucketSpan span = bucket_span(kNow, kHourMs, 3);
  EXPECT_FALSE(bucket_index(span, span.first_start_ms - kHourMs));
  EXPECT_FALSE(bucket_index(span, span.first_start_ms + 3 * kHourMs));
  EXPECT_FALSE(bucket_index(span, span.first_start_ms + 1));
}

TEST(OutcomeBuckets, ABucketStartingExactlyNowIsTheCurrentOne) {
  const std::int64_t on_the_hour = kNow - 30 * 60'000;
  const BucketSpan span = bucket_span(on_the_hour, kHourMs, 2);
  EXPECT_EQ(span.first_start_ms, on_the_hour - kHourMs);
  EXPECT_EQ(bucket_index(span, on_the_hour), 1u);
}

}  // namespace
