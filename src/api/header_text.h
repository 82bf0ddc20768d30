#pragma once
// Text rules shared by the header-field parsers (ETag lists, cookies,
// Accept-Encoding).
//
// trim_ows() strips RFC 9110's optional whitespace (spaces and horizontal
// tabs) from both ends of `s`; it returns a view into `s`.

#include <string_view>

namespace apiota::api {

constexpr std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace apiota::api
