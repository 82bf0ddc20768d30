#include "api/auth_failures.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "api/api_error.h"

namespace apiota::api {
namespace {

using Clock = domain::FailureLimiter::Clock;

std::chrono::seconds whole_seconds(Clock::duration left) { return std::chrono::ceil<std::chrono::seconds>(left); }

std::string wait_message(std::string_view what, std::chrono::seconds left) {
  return "too many failed authentications " + std::string(what) + "; retry in " + std::to_string(left.count()) +
         " seconds";
}

}  // namespace

void refuse_if_device_locked(Context& ctx, std::string_view device_id, std::string_view address) {
  if (auto left = ctx.device_auth_failures.locked_out(device_id, address, Clock::now())) {
    const std::chrono::seconds seconds = whole_seconds(*left);
    throw ApiError(ErrorCode::RateLimited, wait_message("for this device", seconds), seconds);
  }
}

void count_wrong_device_secret(Context& ctx, const store::DeviceRecord& device, std::string_view address) {
  const std::string_view known = device.last_address ? std::string_view(*device.last_address) : std::string_view();
  const domain::FailurePolicy& policy = ctx.device_auth_failures.policy();
  if (!ctx.device_auth_failures.record_failure(device.device_id, address, known, Clock::now())) return;
  if (!known.empty() && address == known) {
    spdlog::warn("device {}: {} wrong secrets from its last address {}; locked out there for {} s", device.device_id,
                 policy.max_failures, address, policy.lockout.count());
  } else {
    spdlog::warn("device {}: {} wrong secrets from addresses other than its last one; locked out from them for {} s",
                 device.device_id, policy.max_failures, policy.lockout.count());
  }
}

void note_device_authenticated(Context& ctx, std::string_view device_id, std::string_view address) {
  ctx.device_auth_failures.record_success(device_id, address);
}

bool device_has_failures(const Context& ctx, std::string_view device_id) {
  return ctx.device_auth_failures.tracks(device_id);
}

void refuse_if_address_locked(Context& ctx, std::string_view address) {
  if (auto left = ctx.key_auth_failures.locked_out(address, {}, Clock::now())) {
    const std::chrono::seconds seconds = whole_seconds(*left);
    throw ApiError(ErrorCode::RateLimited, wait_message("from this address", seconds), seconds);
  }
}

void count_wrong_key(Context& ctx, std::string_view address) {
  if (ctx.key_auth_failures.record_failure(address, {}, {}, Clock::now())) {
    spdlog::warn("{}: {} wrong keys; key checks from this address locked out for {} s", address,
                 ctx.key_auth_failures.policy().max_failures, ctx.key_auth_failures.policy().lockout.count());
  }
}

}  // namespace apiota::api
