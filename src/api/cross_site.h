#pragma once
// The console's defence against cross-site request forgery
// (docs/security.md, "Console sessions"). A request that a browser may send
// with the session cookie on its own (the cookie is SameSite=Strict, this is
// the second line) is refused unless:
// - its method is GET or HEAD (they change nothing), or it carries the
//   header "X-Apiota-Console: 1", which a cross-site form cannot send and a
//   cross-site script cannot send without a CORS preflight this server never
//   grants; and
// - its Origin header, when present, is the request's own origin: the
//   configured public URL's origin, or "http://" + its Host
//   (api/request_origin.h).
// Pure and thread-safe.

#include <string_view>

#include "api/request.h"

namespace apiota::api {

inline constexpr std::string_view kConsoleHeader = "x-apiota-console";
inline constexpr std::string_view kCrossSiteRefusal = "cross-site request refused";

// True when the rule above refuses `req`; `public_url` is Settings::public_url.
bool is_cross_site(const Request& req, std::string_view public_url);

// Throws FORBIDDEN kCrossSiteRefusal when is_cross_site().
void refuse_cross_site(const Request& req, std::string_view public_url);

}  // namespace apiota::api
