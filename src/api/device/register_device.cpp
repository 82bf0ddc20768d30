#include <boost/json.hpp>

#include "api/api_error.h"
#include "api/auth.h"
#include "api/auth_failures.h"
#include "service/clock.h"
#include "api/device/device_api.h"
#include "service/device_enrollment.h"
#include "api/json_body.h"
#include "domain/identifiers.h"

namespace apiota::api::device {
namespace {

Response registered(const store::DeviceRecord& dev) {
  Response res;
  res.body = boost::json::serialize(boost::json::object{
      {"success", true},
      {"device_id", dev.device_id},
      {"registered_at", service::iso8601(dev.registered_at)},
  });
  return res;
}

// `device`, already registered in the key's project, runs first boot again:
// the same secret is an idempotent success; anything else must not reveal or
// take over the id. Comparing the secret answers whether it was right, so it
// is limited like every other check of a device secret.
Response registered_again(Context& ctx, const Request& req, const store::DeviceRecord& device,
                          std::string_view secret) {
  refuse_if_device_locked(ctx, device.device_id, req.remote_address);
  if (service::device_secret_matches(ctx.hasher, device, secret)) {
    note_device_authenticated(ctx, device.device_id, req.remote_address);
    return registered(device);
  }
  count_wrong_device_secret(ctx, device, req.remote_address);
  throw ApiError(ErrorCode::DeviceExists, "device_id is already registered with another secret");
}

}  // namespace

Response register_device(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  boost::json::object body = parse_json_object(req.body);
  std::string device_id = required_param(req, &body, "device_id");
  std::string secret = required_param(req, &body, "device_secret");
  std::string pk_key = required_param(req, &body, "pk_key");
  auto firmware_ver = param(req, &body, "firmware_ver");
  // Validated before the key is looked up, so a malformed request never
  // costs a key lookup. A secret outside today's rule that the rule before
  // it allowed may belong to a device registered back then, running first
  // boot again: it is only compared with that device's, never enrolled.
  const bool pre_rule_secret = !domain::is_valid_device_secret(secret) && domain::is_pre_rule_device_secret(secret);
  std::optional<store::DeviceRecord> candidate;
  if (pre_rule_secret) {
    service::check_enrollment(device_id, firmware_ver);
  } else {
    candidate = service::enrollment_record(ctx.hasher, "", device_id, secret, firmware_ver, service::now_ms());
  }

  refuse_if_address_locked(ctx, req.remote_address);
  auto key = find_active_key(ctx, pk_key);
  if (!key) {
    count_wrong_key(ctx, req.remote_address);
    throw ApiError(ErrorCode::InvalidPkKey, "pk_key is unknown or revoked");
  }
  auto project = ctx.store.find_project(key->project_id);
  if (!project) throw ApiError(ErrorCode::InvalidPkKey, "pk_key's project no longer exists");

  if (!candidate) {
    auto existing = ctx.store.find_device(device_id);
    if (!existing || existing->project_id != project->id) service::refuse_device_secret();
    return registered_again(ctx, req, *existing, secret);
  }
  candidate->project_id = project->id;
  candidate->last_seen_at = candidate->registered_at;
  candidate->last_address = req.remote_address;

  auto result = ctx.store.register_device(*candidate, project->plan.max_devices);
  switch (result.outcome) {
    case store::RegisterOutcome::Created:
      return registered(result.device);
    case store::RegisterOutcome::PlanLimitReached:
      throw ApiError(ErrorCode::PlanLimitExceeded,
                     "the project's plan allows " + std::to_string(project->plan.max_devices) + " devices");
    case store::RegisterOutcome::Exists:
      break;
  }
  if (result.device.project_id == project->id) return registered_again(ctx, req, result.device, secret);
  throw ApiError(ErrorCode::DeviceExists, "device_id is already registered with another secret");
}

}  // namespace apiota::api::device
