#include "domain/cohort.h"

#include <array>
#include <cmath>
#include <cstddef>

#include "crypto/digest.h"

namespace apiota::domain {
namespace {

// The number of buckets admitted by `percent`, in [0, kCohortBuckets].
std::uint32_t admitted_buckets(double percent) {
  if (!(percent > 0)) return 0;
  if (percent >= 100) return kCohortBuckets;
  return static_cast<std::uint32_t>(std::llround(percent * (kCohortBuckets / 100)));
}

}  // namespace

std::uint32_t cohort_bucket(std::string_view device_id, std::string_view release_key) {
  thread_local crypto::Sha256Hasher hasher;
  const std::array<std::uint8_t, 32> hash = hasher.hash({"apiota-cohort\n", device_id, "\n", release_key});
  std::uint64_t prefix = 0;
  for (std::size_t i = 0; i < 8; ++i) prefix = (prefix << 8) | hash[i];
  return static_cast<std::uint32_t>(prefix % kCohortBuckets);
}

bool in_rollout(std::string_view device_id, std::string_view release_key, double percent) {
  const std::uint32_t admitted = admitted_buckets(percent);
  if (admitted == 0) return false;
  if (admitted == kCohortBuckets) return true;
  return cohort_bucket(device_id, release_key) < admitted;
}

}  // namespace apiota::domain
