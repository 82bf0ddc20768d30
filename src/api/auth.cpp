#include "api/auth.h"

#include <cctype>

#include "api/api_error.h"
#include "api/auth_failures.h"
#include "api/json_body.h"
#include "crypto/keyed_hash.h"

namespace apiota::api {
namespace {

std::string credential(const Request& req, const boost::json::object* body, std::string_view name,
                       std::string_view header_name) {
  if (auto value = param(req, body, name); value && !value->empty()) return *value;
  if (auto value = req.header(header_name); value && !value->empty()) return std::string(*value);
  throw ApiError(ErrorCode::MissingParameter, std::string(name) + " is required");
}

}  // namespace

void limit_address(Context& ctx, const Request& req) {
  if (!ctx.settings.rate_limit) return;
  if (!ctx.address_limiter.allow(req.remote_address, ctx.settings.address_limit, std::chrono::steady_clock::now())) {
    throw ApiError(ErrorCode::RateLimited, "too many requests from this address; retry in 60 seconds");
  }
}

DeviceCredentials device_credentials(const Request& req, const boost::json::object* body) {
  std::string device_id = credential(req, body, "device_id", "x-device-id");
  std::string secret = credential(req, body, "device_secret", "x-device-secret");
  return {std::move(device_id), std::move(secret)};
}

void limit_device(Context& ctx, std::string_view device_id, const domain::Plan& plan) {
  if (!ctx.settings.rate_limit) return;
  domain::RateLimit limit{plan.device_requests_per_minute, plan.device_burst};
  if (!ctx.device_limiter.allow(device_id, limit, std::chrono::steady_clock::now())) {
    throw ApiError(ErrorCode::RateLimited, "too many requests for this device; retry in 60 seconds");
  }
}

store::DeviceRecord authenticate_device(Context& ctx, const Request& req, const boost::json::object* body) {
  auto [device_id, secret] = device_credentials(req, body);
  // Before the store is read: a locked-out device costs no lookup.
  refuse_if_device_locked(ctx, device_id, req.remote_address);
  auto device = ctx.store.find_device(device_id);
  if (!device) throw ApiError(ErrorCode::DeviceNotFound, "device_id not registered");
  if (!service::device_secret_matches(ctx.hasher, *device, secret)) {
    count_wrong_device_secret(ctx, *device, req.remote_address);
    throw ApiError(ErrorCode::InvalidSecret, "device_secret does not match");
  }
  note_device_authenticated(ctx, device_id, req.remote_address);
  if (device->blocked) throw ApiError(ErrorCode::DeviceBlocked, "this device is blocked");
  if (ctx.settings.rate_limit) {
    auto project = ctx.store.find_project(device->project_id);
    limit_device(ctx, device->device_id, project ? project->plan : ctx.settings.default_plan);
  }
  return std::move(*device);
}

std::optional<store::KeyRecord> find_active_key(Context& ctx, std::string_view presented_key) {
  if (!presented_key.starts_with(service::kKeyPrefix) || presented_key.size() > 128) return std::nullopt;
  std::string hash = service::hash_api_key(ctx.hasher, presented_key);
  auto key = ctx.store.find_key_by_hash(hash);
  if (!key || key->revoked_at || !crypto::constant_time_equal(key->hash, hash)) return std::nullopt;
  return key;
}

AdminPrincipal authenticate_admin(Context& ctx, const Request& req) {
  auto header = req.header("authorization");
  constexpr std::string_view kBearer = "bearer ";
  auto is_bearer = [&](std::string_view value) {
    if (value.size() <= kBearer.size()) return false;
    for (std::size_t i = 0; i < kBearer.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(value[i])) != kBearer[i]) return false;
    }
    return true;
  };
  refuse_if_address_locked(ctx, req.remote_address);
  if (!header || !is_bearer(*header)) {
    throw ApiError(ErrorCode::Unauthorized, "an admin key is required: Authorization: Bearer pk_live_...");
  }
  auto key = find_active_key(ctx, header->substr(kBearer.size()));
  if (!key) {
    count_wrong_key(ctx, req.remote_address);
    throw ApiError(ErrorCode::Unauthorized, "the key is unknown or revoked");
  }
  if (key->role != store::KeyRole::Admin) {
    throw ApiError(ErrorCode::Forbidden, "a provisioning key may only register devices");
  }
  auto project = ctx.store.find_project(key->project_id);
  if (!project) throw ApiError(ErrorCode::Unauthorized, "the key's project no longer exists");
  return {std::move(*key), std::move(*project)};
}

void require_same_project(const AdminPrincipal& admin, std::string_view project_id) {
  if (project_id != admin.project.id) {
    throw ApiError(ErrorCode::Forbidden, "this key belongs to another project");
  }
}

}  // namespace apiota::api
