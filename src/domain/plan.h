#pragma once

// The limits of an account/project plan, enforced by the API as 403 (device
// count), 413 (firmware size) and 429 (request rate).
//
// The defaults are generous for a normal fleet: a device polling every five
// minutes plus the handful of OTA log reports it sends during an update stays
// far below 30 requests per minute, while the burst of 20 absorbs a reboot
// storm's register + check + config sequence. A rate of 0 means unlimited,
// matching RateLimit.
//
// validate_plan() returns an empty string when the plan is usable, otherwise
// a one-line message naming the first bad field: max_devices must be >= 1,
// max_firmware_bytes must lie in [kMinFirmwareBytes, kMaxFirmwareBytesCeiling]
// (the ceiling is the largest ESP32 app partition worth accepting), and
// device_requests_per_minute and device_burst must be finite and >= 0.
// It is pure and safe to call concurrently.

#include <cstdint>
#include <string>

namespace apiota::domain {

inline constexpr std::int64_t kMinFirmwareBytes = 1024;
inline constexpr std::int64_t kMaxFirmwareBytesCeiling = 32 * 1024 * 1024;

struct Plan {
  std::int64_t max_devices = 100000;
  std::int64_t max_firmware_bytes = 16 * 1024 * 1024;
  double device_requests_per_minute = 30;
  double device_burst = 20;

  bool operator==(const Plan&) const = default;
};

std::string validate_plan(const Plan& plan);

}  // namespace apiota::domain
