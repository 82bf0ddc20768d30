#pragma once
// Reading cookies from requests (RFC 6265 section 5.4: "name=value" pairs
// separated by ";" and optional spaces). Pure and thread-safe.

#include <optional>
#include <string_view>

#include "api/request.h"

namespace apiota::api {

// The value of cookie `name` in one Cookie header's value (the first pair of
// that name, surrounding double quotes removed), or nullopt.
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name);

// The same over every Cookie header of `req`, in order.
std::optional<std::string_view> request_cookie(const Request& req, std::string_view name);

}  // namespace apiota::api
