#include "domain/outcome_buckets.h"

namespace apiota::domain {

BucketSpan bucket_span(std::int64_t now_ms, std::int64_t width_ms, std::int64_t count) {
  const std::int64_t current_start = now_ms / width_ms * width_ms;
  return BucketSpan{current_start - (count - 1) * width_ms, width_ms, count};
}

std::optional<std::size_t> bucket_index(const BucketSpan& span, std::int64_t start_ms) {
  const std::int64_t offset = start_ms - span.first_start_ms;
  if (offset < 0 || offset % span.width_ms != 0) return std::nullopt;
  const std::int64_t index = offset / span.width_ms;
  if (index >= span.count) return std::nullopt;
  return static_cast<std::size_t>(index);
}

}  // namespace apiota::domain
