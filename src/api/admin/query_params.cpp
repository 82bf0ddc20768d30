#include "api/admin/query_params.h"

#include <charconv>
#include <ctime>

#include "api/error_response.h"
#include "domain/printable.h"

namespace apiota::api::admin {
namespace {

constexpr std::int64_t kLatestSeconds = 253402300799;  // 9999-12-31T23:59:59Z

std::optional<std::string_view> present(const Request& req, std::string_view name) {
  auto value = req.query_param(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "YYYY-MM-DDTHH:MM:SSZ" as Unix seconds.
std::optional<std::int64_t> iso8601_seconds(std::string_view text) {
  const std::string copy(text);
  std::tm tm{};
  const char* end = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0' || copy.size() != 20) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

std::optional<std::string> text_query(const Request& req, std::string_view name, std::size_t max_bytes) {
  auto value = present(req, name);
  if (!value) return std::nullopt;
  if (value->size() > max_bytes || domain::printable(*value) != *value) {
    throw ApiError(ErrorCode::InvalidParameter,
                   std::string(name) + " must be at most " + std::to_string(max_bytes) + " bytes of printable text");
  }
  return std::string(*value);
}

std::optional<bool> bool_query(const Request& req, std::string_view name) {
  auto value = present(req, name);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be true or false");
}

std::optional<std::int64_t> time_query(const Request& req, std::string_view name) {
  auto value = present(req, name);
  if (!value) return std::nullopt;
  auto seconds = whole_number(*value);
  if (!seconds) seconds = iso8601_seconds(*value);
  if (!seconds || *seconds < 0 || *seconds > kLatestSeconds) {
    throw ApiError(ErrorCode::InvalidParameter,
                   std::string(name) + " must be a time: ISO 8601 UTC (2026-11-25T20:00:00Z) or Unix seconds");
  }
  return *seconds * 1000;
}

std::int64_t bounded_int_query(const Request& req, std::string_view name, std::int64_t fallback, std::int64_t min,
                               std::int64_t max) {
  auto text = req.query_param(name);
  if (!text) return fallback;
  auto value = whole_number(*text);
  if (!value || *value < min || *value > max) {
    throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be an integer between " +
                                                    std::to_string(min) + " and " + std::to_string(max));
  }
  return *value;
}

}  // namespace apiota::api::admin
