#pragma once
// Reading the optional filters of the admin lists (devices, audit) from the
// query string. Each returns std::nullopt when the parameter is absent or
// empty (a form's blank field filters nothing) and throws ApiError
// INVALID_PARAMETER, naming the parameter and its rule, when it is present
// but breaks the rule.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/request.h"

namespace apiota::api::admin {

// Printable text (no control characters, valid UTF-8) of at most `max_bytes`.
std::optional<std::string> text_query(const Request& req, std::string_view name, std::size_t max_bytes);
// "true" or "false".
std::optional<bool> bool_query(const Request& req, std::string_view name);
// A time, as ISO 8601 UTC ("2026-11-25T20:00:00Z") or whole Unix seconds
// (0 to year 9999), in Unix milliseconds.
std::optional<std::int64_t> time_query(const Request& req, std::string_view name);
// An integer in [min, max], or `fallback` when absent (an empty value is
// refused, as int_query() does).
std::int64_t bounded_int_query(const Request& req, std::string_view name, std::int64_t fallback, std::int64_t min,
                               std::int64_t max);

}  // namespace apiota::api::admin
