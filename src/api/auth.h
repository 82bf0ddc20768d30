#pragma once
// Reading credentials from requests; the checks themselves are the
// services' (service/access_control.h, service/device_service.h).
//
// Device calls carry device_id + device_secret in the JSON body, the query
// string, or the X-Device-Id / X-Device-Secret headers (first found wins, in
// that order). Admin calls carry `Authorization: Bearer pk_live_...` or the
// console's session cookie (kSessionCookie, service/console_sessions.h);
// when both are present the Bearer key wins.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "api/context.h"
#include "api/request.h"
#include "service/device_service.h"

namespace apiota::api {

// The device_id and device_secret a request presents. Throws
// MISSING_PARAMETER.
service::DeviceCredentials device_credentials(const Request& req, const boost::json::object* body);

// The device_id and secret as check-update presents them (the query; the
// secret also from its header), without throwing: nullopt for anything
// device_credentials() would refuse.
std::optional<std::string_view> presented_device_id(const Request& req);
std::optional<std::string_view> presented_secret(const Request& req);

// The key of `Authorization: Bearer <key>` (scheme case-insensitive);
// nullopt when the header is missing or of another form.
std::optional<std::string> bearer_key(const Request& req);

inline constexpr std::string_view kSessionCookie = "apiota_session";

// The operator calling: service::AccessControl::authenticate_admin() with the
// request's bearer key and address; without one, the console session its
// cookie names (UNAUTHORIZED when it has ended), subject to the cross-site
// rule (api/cross_site.h: FORBIDDEN); with neither, as without a key.
service::AdminPrincipal authenticate_admin(Context& ctx, const Request& req);

}  // namespace apiota::api
