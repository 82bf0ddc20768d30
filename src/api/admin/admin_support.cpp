#include "api/admin/admin_support.h"

#include <boost/json.hpp>

#include <charconv>

#include "api/error_response.h"
#include "service/json_text.h"

namespace apiota::api::admin {

Response json_response(const boost::json::value& value) {
  Response res;
  res.body = service::to_json_text(value);
  return res;
}

std::int64_t int_query(const Request& req, std::string_view name, std::int64_t fallback, std::int64_t max) {
  auto text = req.query_param(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < 0 || value > max) {
    throw ApiError(ErrorCode::InvalidParameter,
                   std::string(name) + " must be an integer between 0 and " + std::to_string(max));
  }
  return value;
}

std::optional<std::vector<std::string>> string_list(const boost::json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  auto invalid = ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be an array of strings");
  if (!v->is_array()) throw invalid;
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) throw invalid;
    out.emplace_back(item.as_string());
  }
  return out;
}

std::int64_t path_id(const Request& req) {
  const std::string& text = req.path_params.at(0);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) {
    throw ApiError(ErrorCode::NotFound, "no such release");
  }
  return value;
}

}  // namespace apiota::api::admin
