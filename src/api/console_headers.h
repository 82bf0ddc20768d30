#pragma once
// The security headers of every console page, console asset and
// /api/console/* answer (docs/security.md, "Console sessions"): a strict
// Content-Security-Policy (scripts and styles only from this origin, no
// inline code, no framing), X-Frame-Options DENY, nosniff and no referrer.

#include <string_view>

#include "api/request.h"

namespace apiota::api {

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

// Appends the headers to `res`.
void add_console_headers(Response& res);

}  // namespace apiota::api
