#include "api/device_enrollment.h"

#include "api/api_error.h"
#include "api/auth.h"
#include "crypto/random.h"
#include "domain/identifiers.h"
#include "domain/semver.h"

namespace apiota::api {

store::DeviceRecord enrollment_record(const crypto::KeyedHasher& hasher, std::string_view project_id,
                                      std::string_view device_id, std::string_view secret,
                                      std::optional<std::string_view> firmware_version, std::int64_t now) {
  if (!domain::is_valid_device_id(device_id)) {
    throw ApiError(ErrorCode::InvalidParameter, "device_id must be 1-64 characters of A-Z a-z 0-9 . _ : -");
  }
  if (!domain::is_valid_device_secret(secret)) {
    throw ApiError(ErrorCode::InvalidParameter, "device_secret must be 16-128 printable characters");
  }
  store::DeviceRecord record;
  if (firmware_version && !firmware_version->empty()) {
    auto parsed = domain::parse_reported_version(*firmware_version);
    if (!parsed) throw ApiError(ErrorCode::InvalidVersion, "firmware_ver is not a semantic version");
    record.firmware_version = parsed->to_string();
  }
  record.device_id = std::string(device_id);
  record.project_id = std::string(project_id);
  record.secret_salt = crypto::random_alphanumeric(16);
  record.secret_hash = hash_device_secret(hasher, record.secret_salt, secret);
  record.registered_at = now;
  return record;
}

}  // namespace apiota::api
