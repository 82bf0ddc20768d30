#pragma once
// Text rules shared by the header-field parsers (ETag lists, cookies,
// Accept-Encoding).
//
// is_ows() tells RFC 9110's optional whitespace (a space or a horizontal
// tab); trim_ows() strips it from both ends of `s`, returning a view into
// `s`; iequals() compares ASCII case-insensitively (header tokens such as
// "bytes" or "https"; other bytes must match exactly).

#include <cstddef>
#include <string_view>

namespace apiota::api {

constexpr bool is_ows(char c) { return c == ' ' || c == '\t'; }

constexpr std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace apiota::api
