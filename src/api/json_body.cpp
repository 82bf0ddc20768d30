#include "api/json_body.h"

#include <boost/json.hpp>

#include <cmath>

#include "api/error_response.h"

namespace apiota::api {

std::optional<std::string> param(const Request& req, const boost::json::object* body, std::string_view name) {
  std::optional<std::string> value;
  if (body) {
    if (const auto* v = body->if_contains(name); v && !v->is_null()) {
      if (!v->is_string()) {
        throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be a string");
      }
      value = std::string(v->get_string());
    }
  }
  if (!value) {
    if (auto q = req.query_param(name)) value = std::string(*q);
  }
  if (value && value->size() > kMaxParamLength) {
    throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " is too long");
  }
  return value;
}

std::string required_param(const Request& req, const boost::json::object* body, std::string_view name) {
  auto value = param(req, body, name);
  if (!value || value->empty()) {
    throw ApiError(ErrorCode::MissingParameter, std::string(name) + " is required");
  }
  return *value;
}

}  // namespace apiota::api
