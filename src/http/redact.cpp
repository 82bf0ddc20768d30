#include "http/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace apiota::http {
namespace {

bool is_sensitive(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "sig") return true;
  constexpr std::array<std::string_view, 4> kWords = {"secret", "key", "token", "password"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

}  // namespace

std::string redact_target(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view query = target.substr(q + 1);
  bool first = true;
  while (true) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && is_sensitive(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append("REDACTED");
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace apiota::http
