#include <boost/json.hpp>

#include "api/api_error.h"
#include "api/auth.h"
#include "api/clock.h"
#include "api/device/device_api.h"
#include "api/json_body.h"
#include "crypto/random.h"
#include "domain/identifiers.h"
#include "domain/semver.h"

namespace apiota::api::device {
namespace {

Response registered(const store::DeviceRecord& dev) {
  Response res;
  res.body = boost::json::serialize(boost::json::object{
      {"success", true},
      {"device_id", dev.device_id},
      {"registered_at", iso8601(dev.registered_at)},
  });
  return res;
}

}  // namespace

Response register_device(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  boost::json::object body = parse_json_object(req.body);
  std::string device_id = required_param(req, &body, "device_id");
  std::string secret = required_param(req, &body, "device_secret");
  std::string pk_key = required_param(req, &body, "pk_key");
  auto firmware_ver = param(req, &body, "firmware_ver");

  if (!domain::is_valid_device_id(device_id)) {
    throw ApiError(ErrorCode::InvalidParameter, "device_id must be 1-64 characters of A-Z a-z 0-9 . _ : -");
  }
  if (!domain::is_valid_device_secret(secret)) {
    throw ApiError(ErrorCode::InvalidParameter, "device_secret must be 16-128 printable characters");
  }
  std::optional<std::string> version;
  if (firmware_ver && !firmware_ver->empty()) {
    auto parsed = domain::parse_reported_version(*firmware_ver);
    if (!parsed) throw ApiError(ErrorCode::InvalidVersion, "firmware_ver is not a semantic version");
    version = parsed->to_string();
  }

  auto key = find_active_key(ctx, pk_key);
  if (!key) throw ApiError(ErrorCode::InvalidPkKey, "pk_key is unknown or revoked");
  auto project = ctx.store.find_project(key->project_id);
  if (!project) throw ApiError(ErrorCode::InvalidPkKey, "pk_key's project no longer exists");

  store::DeviceRecord candidate;
  candidate.device_id = device_id;
  candidate.project_id = project->id;
  candidate.secret_salt = crypto::random_alphanumeric(16);
  candidate.secret_hash = hash_device_secret(ctx.hasher, candidate.secret_salt, secret);
  candidate.registered_at = now_ms();
  candidate.firmware_version = version;
  candidate.last_seen_at = candidate.registered_at;
  candidate.last_address = req.remote_address;

  auto result = ctx.store.register_device(candidate, project->plan.max_devices);
  switch (result.outcome) {
    case store::RegisterOutcome::Created:
      return registered(result.device);
    case store::RegisterOutcome::PlanLimitReached:
      throw ApiError(ErrorCode::PlanLimitExceeded,
                     "the project's plan allows " + std::to_string(project->plan.max_devices) + " devices");
    case store::RegisterOutcome::Exists:
      break;
  }
  // Devices re-run first boot after a reset: the same id, secret and project is
  // an idempotent success; anything else must not reveal or take over the id.
  if (result.device.project_id == project->id && device_secret_matches(ctx.hasher, result.device, secret)) {
    return registered(result.device);
  }
  throw ApiError(ErrorCode::DeviceExists, "device_id is already registered with another secret");
}

}  // namespace apiota::api::device
