#pragma once
// Enrolling a device: the checks and the stored record shared by
// POST /api/register and the bulk `apiota devices import`.
//
// enrollment_record() validates the id (domain::is_valid_device_id), the
// secret (domain::is_valid_device_secret) and the optional firmware version
// (a semantic version, stored normalized; empty means unknown), and returns
// a record for `project_id` holding a fresh random salt and the keyed hash of
// the secret, never the secret itself. Throws ApiError INVALID_PARAMETER or
// INVALID_VERSION with a message naming the field.

#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/keyed_hash.h"
#include "store/records.h"

namespace apiota::api {

store::DeviceRecord enrollment_record(const crypto::KeyedHasher& hasher, std::string_view project_id,
                                      std::string_view device_id, std::string_view secret,
                                      std::optional<std::string_view> firmware_version, std::int64_t now);

}  // namespace apiota::api
