#pragma once
// Wall-clock time in the units the store keeps (Unix milliseconds) and the
// contract's ISO-8601 rendering ("2026-05-17T10:30:00Z", whole seconds).

#include <cstdint>
#include <string>

namespace apiota::service {

std::int64_t now_ms();
std::string iso8601(std::int64_t unix_ms);

}  // namespace apiota::service
