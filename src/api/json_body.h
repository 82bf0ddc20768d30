#pragma once
// Reading request parameters: JSON bodies and typed fields.
//
// Bodies are read with service::parse_json_object() (INVALID_JSON unless one
// object with finite numbers). The field getters throw INVALID_PARAMETER when a field is
// present with the wrong type, and required_* throw MISSING_PARAMETER when it
// is absent (or an empty string). Parameters may come from the JSON body or
// the query string: `param()` looks in the body first, then the query.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "api/request.h"
#include "service/json_object.h"

namespace apiota::api {

using service::parse_json_object;

// A string parameter from `body` (if given) or the query string.
std::optional<std::string> param(const Request& req, const boost::json::object* body, std::string_view name);
std::string required_param(const Request& req, const boost::json::object* body, std::string_view name);

// Longest accepted string parameter; longer values are INVALID_PARAMETER.
inline constexpr std::size_t kMaxParamLength = 2048;

}  // namespace apiota::api
