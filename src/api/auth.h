#pragma once
// Authentication and authorization for both APIs.
//
// Device calls carry device_id + device_secret in the JSON body, the query
// string, or the X-Device-Id / X-Device-Secret headers (first found wins, in
// that order). Admin calls carry `Authorization: Bearer pk_live_...`; the key
// must be an admin key, not revoked, and it only ever reaches its own
// project. Every function throws ApiError with the contract's code on refusal.

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "api/context.h"
#include "api/request.h"
#include "service/credential_hash.h"
#include "store/records.h"

namespace apiota::api {

// Per-address limit for every device call (many devices may share one NAT
// address, so it is generous). RATE_LIMITED when exceeded; no-op when rate
// limiting is off.
void limit_address(Context& ctx, const Request& req);

// Resolves and verifies the calling device: MISSING_PARAMETER, a lock-out
// after too many wrong secrets (RATE_LIMITED, api/auth_failures.h; the secret
// is not checked then), DEVICE_NOT_FOUND, INVALID_SECRET (counted towards the
// lock-out), DEVICE_BLOCKED, then the per-device rate limit of the device's
// plan (RATE_LIMITED).
store::DeviceRecord authenticate_device(Context& ctx, const Request& req, const boost::json::object* body);

// The device_id and device_secret a request presents (query, JSON body or
// X-Device-Id / X-Device-Secret headers). Throws MISSING_PARAMETER.
struct DeviceCredentials {
  std::string device_id;
  std::string secret;
};
DeviceCredentials device_credentials(const Request& req, const boost::json::object* body);

// Applies the plan's per-device rate limit (when rate limiting is on).
// Throws RATE_LIMITED.
void limit_device(Context& ctx, std::string_view device_id, const domain::Plan& plan);

// A non-revoked key by its plaintext, or nullopt.
std::optional<store::KeyRecord> find_active_key(Context& ctx, std::string_view presented_key);

struct AdminPrincipal {
  store::KeyRecord key;
  store::ProjectRecord project;
};

// RATE_LIMITED while the client's address is locked out after too many
// wrong keys (api/auth_failures.h); UNAUTHORIZED without a valid, non-revoked
// key (a presented one counts towards that lock-out); FORBIDDEN for a
// provision key.
AdminPrincipal authenticate_admin(Context& ctx, const Request& req);

// Refuses (FORBIDDEN) a request naming a project other than the key's.
void require_same_project(const AdminPrincipal& admin, std::string_view project_id);

}  // namespace apiota::api
