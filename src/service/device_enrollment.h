#pragma once
// Enrolling a device: the checks and the stored record shared by
// POST /api/register and the bulk `apiota devices import`.
//
// enrollment_record() validates the id (domain::is_valid_device_id), the
// secret (domain::is_valid_device_secret: only characters that survive an
// unencoded query string) and the optional firmware version (a semantic
// version, stored normalized; empty means unknown), and returns a record for
// `project_id` holding a fresh random salt (from `env`) and the keyed hash of the secret,
// never the secret itself. check_enrollment() makes the same checks of the id
// and version only, for a secret that is checked against an existing device
// instead. Both throw ApiError INVALID_PARAMETER or INVALID_VERSION with a
// message naming the field; refuse_device_secret() throws the
// INVALID_PARAMETER that states the secret rule.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/keyed_hash.h"
#include "env/env.h"
#include "store/records.h"

namespace apiota::service {

store::DeviceRecord enrollment_record(const crypto::KeyedHasher& hasher, std::string_view project_id,
                                      std::string_view device_id, std::string_view secret,
                                      std::optional<std::string_view> firmware_version, std::int64_t now,
                                      env::Env& env = env::system_env());

// Returns the normalized firmware version ("" when none is given).
std::string check_enrollment(std::string_view device_id, std::optional<std::string_view> firmware_version);

[[noreturn]] void refuse_device_secret();

}  // namespace apiota::service
