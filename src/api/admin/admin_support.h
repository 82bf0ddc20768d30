#pragma once
// Small pieces every admin handler uses: a JSON 200 response (numbers
// written plainly, service/json_text.h), and an integer query parameter with
// bounds (INVALID_PARAMETER outside [0, max]).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"

namespace apiota::api::admin {

Response json_response(const boost::json::value& value);
std::int64_t int_query(const Request& req, std::string_view name, std::int64_t fallback, std::int64_t max);
// An optional array-of-strings field of a JSON body (INVALID_PARAMETER when
// it is anything else).
std::optional<std::vector<std::string>> string_list(const boost::json::object& body, std::string_view name);
// The integer id in the first path parameter; NOT_FOUND when it is not one.
std::int64_t path_id(const Request& req);

}  // namespace apiota::api::admin
