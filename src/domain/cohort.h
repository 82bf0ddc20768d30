#pragma once

// Deterministic cohort assignment for staged rollouts: which devices fall
// inside "the first p percent of the fleet" for one release.
//
// cohort_bucket() maps a (device, release) pair to a bucket in
// [0, kCohortBuckets). The bucket is the first 8 bytes of
// SHA-256("apiota-cohort\n" + device_id + "\n" + release_key), read as a
// big-endian unsigned 64-bit integer, modulo kCohortBuckets. This formula is
// part of the contract: buckets are persisted implicitly (a device inside a
// cohort today must be inside it after an upgrade of the server), so it must
// never change. The modulo bias is negligible: 2^64 mod 10000 = 1616, so
// buckets below 1616 receive one extra 64-bit value out of about 1.8e15, a
// relative excess of about 5e-16. The "\n" separators keep the framing
// unambiguous for valid device ids, which cannot contain a newline.
// Keying by release makes each release's cohort independent of every other
// release's, so the same devices do not always go first.
//
// in_rollout() is true when the device's bucket lies below `percent` of the
// buckets. `percent` has a resolution of 0.01 (one bucket): it is rounded to
// the nearest hundredth, so 0.5 admits buckets [0, 50) and 12.25 admits
// [0, 1225). Values <= 0 and NaN admit nobody, values >= 100 everybody.
// Because the threshold only grows with `percent`, a device inside at p is
// inside at every q >= p: raising a rollout never drops a device.
//
// Both functions are pure and safe to call concurrently. They throw
// std::runtime_error only if OpenSSL cannot allocate a digest context.

#include <cstdint>
#include <string_view>

namespace apiota::domain {

inline constexpr std::uint32_t kCohortBuckets = 10000;

std::uint32_t cohort_bucket(std::string_view device_id, std::string_view release_key);

bool in_rollout(std::string_view device_id, std::string_view release_key, double percent);

}  // namespace apiota::domain
