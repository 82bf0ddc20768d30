#include "api/request.h"

#include <algorithm>
#include <cctype>

namespace apiota::api {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::header(std::string_view lowercase_name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, lowercase_name)) return value;
  }
  return std::nullopt;
}

}  // namespace apiota::api
