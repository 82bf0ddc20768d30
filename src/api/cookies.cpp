#include "api/cookies.h"

#include "api/header_text.h"

namespace apiota::api {

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const std::string_view pair = trim_ows(header.substr(0, semicolon));
    header.remove_prefix(semicolon == std::string_view::npos ? header.size() : semicolon + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || trim_ows(pair.substr(0, equals)) != name) continue;
    std::string_view value = trim_ows(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> request_cookie(const Request& req, std::string_view name) {
  for (const auto& [header, value] : req.headers) {
    if (header != "cookie") continue;
    if (auto found = cookie_value(value, name)) return found;
  }
  return std::nullopt;
}

}  // namespace apiota::api
