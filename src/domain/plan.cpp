#include "domain/plan.h"

#include <cmath>

namespace apiota::domain {
namespace {

bool is_valid_rate(double value) { return std::isfinite(value) && value >= 0; }

}  // namespace

std::string validate_plan(const Plan& plan) {
  if (plan.max_devices < 1) return "max_devices must be at least 1";
  if (plan.max_firmware_bytes < kMinFirmwareBytes || plan.max_firmware_bytes > kMaxFirmwareBytesCeiling) {
    return "max_firmware_bytes must be between " + std::to_string(kMinFirmwareBytes) + " and " +
           std::to_string(kMaxFirmwareBytesCeiling);
  }
  if (!is_valid_rate(plan.device_requests_per_minute)) {
    return "device_requests_per_minute must be a finite number >= 0";
  }
  if (!is_valid_rate(plan.device_burst)) return "device_burst must be a finite number >= 0";
  return {};
}

}  // namespace apiota::domain
