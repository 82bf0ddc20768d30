#pragma once

// The time buckets of the OTA-outcome series (GET /api/admin/stats).
//
// Buckets are `width_ms` wide and start at whole multiples of it since the
// Unix epoch, so hour buckets start on the hour and day buckets at 00:00 UTC.
// bucket_span() returns the `count` buckets ending with the one that holds
// `now_ms`, oldest first: first_start_ms is the start of the oldest one.
// bucket_index() returns the position in the span of the bucket starting at
// `start_ms`, or std::nullopt when that is not the start of one of them.
// Preconditions: width_ms > 0, count > 0, now_ms >= 0.
//
// Both functions are pure and safe to call concurrently.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace apiota::domain {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;

struct BucketSpan {
  std::int64_t first_start_ms = 0;
  std::int64_t width_ms = kHourMs;
  std::int64_t count = 1;
};

BucketSpan bucket_span(std::int64_t now_ms, std::int64_t width_ms, std::int64_t count);

std::optional<std::size_t> bucket_index(const BucketSpan& span, std::int64_t start_ms);

}  // namespace apiota::domain
