#include "service/device_enrollment.h"

#include "service/api_error.h"
#include "service/credential_hash.h"
#include "env/env.h"
#include "domain/identifiers.h"
#include "domain/semver.h"

namespace apiota::service {
namespace {

void check_device_id(std::string_view device_id) {
  if (!domain::is_valid_device_id(device_id)) {
    throw ApiError(ErrorCode::InvalidParameter, "device_id must be 1-64 characters of A-Z a-z 0-9 . _ : -");
  }
}

std::string normalized_version(std::optional<std::string_view> firmware_version) {
  if (!firmware_version || firmware_version->empty()) return {};
  auto parsed = domain::parse_reported_version(*firmware_version);
  if (!parsed) throw ApiError(ErrorCode::InvalidVersion, "firmware_ver is not a semantic version");
  return parsed->to_string();
}

}  // namespace

std::string check_enrollment(std::string_view device_id, std::optional<std::string_view> firmware_version) {
  check_device_id(device_id);
  return normalized_version(firmware_version);
}

void refuse_device_secret() {
  throw ApiError(ErrorCode::InvalidParameter,
                 "device_secret must be 16-128 characters of A-Z a-z 0-9 - . _ ~ (devices send it unencoded in "
                 "query strings)");
}

store::DeviceRecord enrollment_record(const crypto::KeyedHasher& hasher, std::string_view project_id,
                                      std::string_view device_id, std::string_view secret,
                                      std::optional<std::string_view> firmware_version, std::int64_t now,
                                      env::Env& env) {
  check_device_id(device_id);
  if (!domain::is_valid_device_secret(secret)) refuse_device_secret();
  store::DeviceRecord record;
  record.firmware_version = normalized_version(firmware_version);
  record.device_id = std::string(device_id);
  record.project_id = std::string(project_id);
  record.secret_salt = env::random_alphanumeric(env, 16);
  record.secret_hash = hash_device_secret(hasher, record.secret_salt, secret);
  record.registered_at = now;
  return record;
}

}  // namespace apiota::service
