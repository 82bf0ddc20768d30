#pragma once
// Reading request parameters: JSON bodies and typed fields.
//
// parse_json_object() throws ApiError INVALID_JSON unless the body is one
// JSON object whose numbers are all finite (a number too large for a double,
// such as 1e999, would be stored as a value no JSON reader accepts back). The field getters throw INVALID_PARAMETER when a field is
// present with the wrong type, and required_* throw MISSING_PARAMETER when it
// is absent (or an empty string). Parameters may come from the JSON body or
// the query string: `param()` looks in the body first, then the query.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "api/request.h"

namespace apiota::api {

boost::json::object parse_json_object(std::string_view body);

// A string parameter from `body` (if given) or the query string.
std::optional<std::string> param(const Request& req, const boost::json::object* body, std::string_view name);
std::string required_param(const Request& req, const boost::json::object* body, std::string_view name);

// Longest accepted string parameter; longer values are INVALID_PARAMETER.
inline constexpr std::size_t kMaxParamLength = 2048;

}  // namespace apiota::api
