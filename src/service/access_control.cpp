#include "service/access_control.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "service/api_error.h"
#include "service/credential_hash.h"

namespace apiota::service {
namespace {

std::chrono::seconds whole_seconds(domain::FailureLimiter::Clock::duration left) {
  return std::chrono::ceil<std::chrono::seconds>(left);
}

std::string wait_message(std::string_view what, std::chrono::seconds left) {
  return "too many failed authentications " + std::string(what) + "; retry in " + std::to_string(left.count()) +
         " seconds";
}

}  // namespace

AccessControl::AccessControl(store::Store& store, const crypto::KeyedHasher& hasher, const Settings& settings,
                             env::Env& env)
    : store_(store),
      hasher_(hasher),
      settings_(settings),
      env_(env),
      device_auth_failures_(settings.auth_failures),
      key_auth_failures_(settings.auth_failures) {}

void AccessControl::limit_address(std::string_view address) {
  if (!settings_.rate_limit) return;
  if (!address_limiter_.allow(address, settings_.address_limit, env_.steady_now())) {
    throw ApiError(ErrorCode::RateLimited, "too many requests from this address; retry in 60 seconds");
  }
}

void AccessControl::limit_device(std::string_view device_id, const domain::Plan& plan) {
  if (!settings_.rate_limit) return;
  domain::RateLimit limit{plan.device_requests_per_minute, plan.device_burst};
  if (!device_limiter_.allow(device_id, limit, env_.steady_now())) {
    throw ApiError(ErrorCode::RateLimited, "too many requests for this device; retry in 60 seconds");
  }
}

void AccessControl::refuse_if_device_locked(std::string_view device_id, std::string_view address) {
  if (auto left = device_auth_failures_.locked_out(device_id, address, env_.steady_now())) {
    const std::chrono::seconds seconds = whole_seconds(*left);
    throw ApiError(ErrorCode::RateLimited, wait_message("for this device", seconds), seconds);
  }
}

void AccessControl::count_wrong_device_secret(const store::DeviceRecord& device, std::string_view address) {
  const std::string_view known = device.last_address ? std::string_view(*device.last_address) : std::string_view();
  const domain::FailurePolicy& policy = device_auth_failures_.policy();
  if (!device_auth_failures_.record_failure(device.device_id, address, known, env_.steady_now())) return;
  if (!known.empty() && address == known) {
    spdlog::warn("device {}: {} wrong secrets from its last address {}; locked out there for {} s", device.device_id,
                 policy.max_failures, address, policy.lockout.count());
  } else {
    spdlog::warn("device {}: {} wrong secrets from addresses other than its last one; locked out from them for {} s",
                 device.device_id, policy.max_failures, policy.lockout.count());
  }
}

void AccessControl::note_device_authenticated(std::string_view device_id, std::string_view address) {
  device_auth_failures_.record_success(device_id, address);
}

bool AccessControl::device_has_failures(std::string_view device_id) const {
  return device_auth_failures_.tracks(device_id);
}

void AccessControl::refuse_if_address_locked(std::string_view address) {
  if (auto left = key_auth_failures_.locked_out(address, {}, env_.steady_now())) {
    const std::chrono::seconds seconds = whole_seconds(*left);
    throw ApiError(ErrorCode::RateLimited, wait_message("from this address", seconds), seconds);
  }
}

void AccessControl::count_wrong_key(std::string_view address) {
  if (key_auth_failures_.record_failure(address, {}, {}, env_.steady_now())) {
    spdlog::warn("{}: {} wrong keys; key checks from this address locked out for {} s", address,
                 key_auth_failures_.policy().max_failures, key_auth_failures_.policy().lockout.count());
  }
}

std::optional<store::KeyRecord> AccessControl::find_active_key(std::string_view presented_key) {
  if (!presented_key.starts_with(kKeyPrefix) || presented_key.size() > 128) return std::nullopt;
  std::string hash = hash_api_key(hasher_, presented_key);
  auto key = store_.find_key_by_hash(hash);
  if (!key || key->revoked_at || !crypto::constant_time_equal(key->hash, hash)) return std::nullopt;
  return key;
}

AdminPrincipal AccessControl::authenticate_admin(std::optional<std::string_view> presented_key,
                                                 std::string_view address) {
  refuse_if_address_locked(address);
  if (!presented_key) {
    throw ApiError(ErrorCode::Unauthorized, "an admin key is required: Authorization: Bearer pk_live_...");
  }
  auto key = find_active_key(*presented_key);
  if (!key) {
    count_wrong_key(address);
    throw ApiError(ErrorCode::Unauthorized, "the key is unknown or revoked");
  }
  if (key->role != store::KeyRole::Admin) {
    throw ApiError(ErrorCode::Forbidden, "a provisioning key may only register devices");
  }
  auto project = store_.find_project(key->project_id);
  if (!project) throw ApiError(ErrorCode::Unauthorized, "the key's project no longer exists");
  return {std::move(*key), std::move(*project)};
}

void AccessControl::prune() {
  const auto now = env_.steady_now();
  device_limiter_.prune(now);
  address_limiter_.prune(now);
  device_auth_failures_.prune(now);
  key_auth_failures_.prune(now);
}

void require_same_project(const AdminPrincipal& admin, std::string_view project_id) {
  if (project_id != admin.project.id) {
    throw ApiError(ErrorCode::Forbidden, "this key belongs to another project");
  }
}

}  // namespace apiota::service
