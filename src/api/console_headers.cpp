#include "api/console_headers.h"

namespace apiota::api {

void add_console_headers(Response& res) {
  res.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.headers.emplace_back("X-Frame-Options", "DENY");
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
}

}  // namespace apiota::api
