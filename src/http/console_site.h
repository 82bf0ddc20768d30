#pragma once
// The web console's pages and assets (docs/api.md, "Console"), answered from
// memory (http/console_assets.h), so the routes run as fast handlers on the
// I/O thread. No authentication: the files hold no data; the console's
// scripts then call the admin API with the session cookie.
//
// GET /            -> 302 to /console/
// GET /console/... -> index.html (Cache-Control: no-cache) for any path not
//                     under assets/, so the console's own router can show
//                     the page a URL names
// GET /console/assets/NAME -> that file (public, max-age one year,
//                     immutable), NOT_FOUND when there is none
// Files go out precompressed by Accept-Encoding (http/accept_encoding.h)
// with Vary: Accept-Encoding and an ETag per encoding; If-None-Match gets
// 304. Every answer carries the console's security headers
// (api/console_headers.h).

#include <optional>

#include "api/context.h"
#include "api/request.h"

namespace apiota::http {

api::Response console_redirect(api::Context& ctx, const api::Request& req);
std::optional<api::Response> console_redirect_fast(api::Context& ctx, const api::Request& req);

// The catch-all path (the route's one parameter) names what to serve.
api::Response console_page(api::Context& ctx, const api::Request& req);
std::optional<api::Response> console_page_fast(api::Context& ctx, const api::Request& req);

}  // namespace apiota::http
