#include "api/request_origin.h"

#include <boost/url/ipv6_address.hpp>

#include <algorithm>

namespace apiota::api {
namespace {

constexpr std::size_t kMaxNameLength = 253;  // a DNS name
constexpr std::size_t kMaxPortDigits = 5;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

bool is_port(std::string_view port) {
  if (port.empty() || port.size() > kMaxPortDigits) return false;
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value >= 1 && value <= 65535;
}

// ":" port, or nothing.
bool is_port_suffix(std::string_view rest) { return rest.empty() || (rest.front() == ':' && is_port(rest.substr(1))); }

}  // namespace

bool is_plain_host_port(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    if (!boost::urls::parse_ipv6_address(host.substr(1, close - 1))) return false;
    return is_port_suffix(host.substr(close + 1));
  }
  const std::string_view name = host.substr(0, host.find(':'));
  if (name.empty() || name.size() > kMaxNameLength || !std::all_of(name.begin(), name.end(), is_name_char)) {
    return false;
  }
  return is_port_suffix(host.substr(name.size()));
}

std::string request_origin(const Request& req) {
  const std::optional<std::string_view> host = req.header("host");
  const char* scheme = req.secure ? "https://" : "http://";
  if (host && is_plain_host_port(*host)) return scheme + std::string(*host);
  return scheme + req.local_address;
}

std::string download_base(const service::Settings& settings, const Request& req) {
  return settings.public_url.empty() ? request_origin(req) : settings.public_url;
}

}  // namespace apiota::api
