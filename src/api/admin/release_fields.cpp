#include "api/admin/release_fields.h"

#include <boost/json.hpp>

#include <cmath>
#include <string>

#include "api/error_response.h"

namespace apiota::api::admin {

std::optional<double> number_field(const boost::json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_number()) throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be a number");
  return v->to_number<double>();
}

std::optional<std::int64_t> whole_field(const boost::json::object& body, std::string_view name) {
  auto value = number_field(body, name);
  if (!value) return std::nullopt;
  if (*value != std::floor(*value) || std::fabs(*value) > 1e15) {
    throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be a whole number");
  }
  return static_cast<std::int64_t>(*value);
}

std::vector<store::RolloutStageRecord> stages_from_json(const boost::json::value& stages) {
  if (!stages.is_array() || stages.as_array().size() > 100) {
    throw ApiError(ErrorCode::InvalidParameter, "stages must be an array of at most 100 stages");
  }
  std::vector<store::RolloutStageRecord> out;
  for (const auto& item : stages.as_array()) {
    if (!item.is_object()) throw ApiError(ErrorCode::InvalidParameter, "each stage must be an object");
    const auto& stage = item.as_object();
    auto percent = number_field(stage, "percent");
    if (!percent) throw ApiError(ErrorCode::InvalidParameter, "each stage needs a percent");
    out.push_back({*percent, whole_field(stage, "min_duration_seconds").value_or(0),
                   whole_field(stage, "min_successes").value_or(0)});
  }
  return out;
}

}  // namespace apiota::api::admin
