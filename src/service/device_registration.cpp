// DeviceService::register_device (device_service.h): enrolment with a
// provisioning key, and a device's first boot repeated.
#include "domain/identifiers.h"
#include "service/api_error.h"
#include "service/credential_hash.h"
#include "service/device_enrollment.h"
#include "service/device_service.h"

namespace apiota::service {

// `device`, already registered in the key's project, runs first boot again:
// the same secret is an idempotent success; anything else must not reveal or
// take over the id. Comparing the secret answers whether it was right, so it
// is limited like every other check of a device secret.
store::DeviceRecord DeviceService::registered_again(const store::DeviceRecord& device, std::string_view secret,
                                                    std::string_view address) {
  access_.refuse_if_device_locked(device.device_id, address);
  if (device_secret_matches(hasher_, device, secret)) {
    access_.note_device_authenticated(device.device_id, address);
    return device;
  }
  access_.count_wrong_device_secret(device, address);
  throw ApiError(ErrorCode::DeviceExists, "device_id is already registered with another secret");
}

store::DeviceRecord DeviceService::register_device(const Registration& registration, std::string_view address) {
  const auto& [device_id, secret, pk_key, firmware_ver] = registration;
  // Validated before the key is looked up, so a malformed request never
  // costs a key lookup. A secret outside today's rule that the rule before
  // it allowed may belong to a device registered back then, running first
  // boot again: it is only compared with that device's, never enrolled.
  const bool pre_rule_secret = !domain::is_valid_device_secret(secret) && domain::is_pre_rule_device_secret(secret);
  const std::optional<std::string_view> version =
      firmware_ver ? std::optional<std::string_view>(*firmware_ver) : std::nullopt;
  std::optional<store::DeviceRecord> candidate;
  if (pre_rule_secret) {
    check_enrollment(device_id, version);
  } else {
    candidate = enrollment_record(hasher_, "", device_id, secret, version, env_.now_ms(), env_);
  }

  access_.refuse_if_address_locked(address);
  auto key = access_.find_active_key(pk_key);
  if (!key) {
    access_.count_wrong_key(address);
    throw ApiError(ErrorCode::InvalidPkKey, "pk_key is unknown or revoked");
  }
  auto project = store_.find_project(key->project_id);
  if (!project) throw ApiError(ErrorCode::InvalidPkKey, "pk_key's project no longer exists");

  if (!candidate) {
    auto existing = store_.find_device(device_id);
    if (!existing || existing->project_id != project->id) refuse_device_secret();
    return registered_again(*existing, secret, address);
  }
  candidate->project_id = project->id;
  candidate->last_seen_at = candidate->registered_at;
  candidate->last_address = std::string(address);

  auto result = store_.register_device(*candidate, project->plan.max_devices);
  switch (result.outcome) {
    case store::RegisterOutcome::Created:
      changes_.note(project->id, ChangeKind::Device);
      return result.device;
    case store::RegisterOutcome::PlanLimitReached:
      throw ApiError(ErrorCode::PlanLimitExceeded,
                     "the project's plan allows " + std::to_string(project->plan.max_devices) + " devices");
    case store::RegisterOutcome::Exists:
      break;
  }
  if (result.device.project_id == project->id) return registered_again(result.device, secret, address);
  throw ApiError(ErrorCode::DeviceExists, "device_id is already registered with another secret");
}

}  // namespace apiota::service
