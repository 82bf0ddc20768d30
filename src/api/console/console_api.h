#pragma once
// The console's session routes (docs/api.md, "Console"): sign in with an
// admin key, read the session, sign out. Each answer carries the console's
// security headers (api/console_headers.h), refusals included; the session
// travels in the kSessionCookie cookie (api/auth.h): HttpOnly,
// SameSite=Strict, Path=/, Max-Age of the session's lifetime, and Secure when
// the public URL is https. POST and DELETE follow the cross-site rule
// (api/cross_site.h) whether or not a cookie is sent.

#include "api/context.h"
#include "api/request.h"

namespace apiota::api::console {

// POST /api/console/session {"key": "..."}: 201 with the session and its
// cookie (service::ConsoleSessions::sign_in() refusals).
Response sign_in(Context& ctx, const Request& req);
// GET /api/console/session: 200 with the session ("signed_in": true), or 200
// {"signed_in": false} without a live one (a signed-out page load is no error).
Response session_info(Context& ctx, const Request& req);
// DELETE /api/console/session: ends the session (if any) and clears the cookie.
Response sign_out(Context& ctx, const Request& req);

}  // namespace apiota::api::console
