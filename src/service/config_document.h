#pragma once
// Validation of a config document an operator sets (project default or per
// device): it must be one JSON object of at most kMaxConfigBytes once
// serialized, whose text parses back. Returns the record to store (normalized
// JSON, updated at `now_ms`); throws ApiError INVALID_JSON otherwise.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/records.h"

namespace apiota::service {

inline constexpr std::size_t kMaxConfigBytes = 64 * 1024;

store::ConfigRecord make_config_record(std::string_view json_text, std::int64_t now_ms);

}  // namespace apiota::service
