#pragma once
// The contract's ISO-8601 rendering of a time as the store keeps it (Unix
// milliseconds): "2026-05-17T10:30:00Z", whole seconds. The clock itself is
// read through env::Env::now_ms().

#include <cstdint>
#include <string>

namespace apiota::service {

std::string iso8601(std::int64_t unix_ms);

}  // namespace apiota::service
