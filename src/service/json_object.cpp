#include "service/json_object.h"

#include <boost/json.hpp>

#include <cmath>

#include "service/api_error.h"

namespace apiota::service {
namespace {

// Boost.JSON reads a number beyond the range of a double as an infinity.
bool all_numbers_finite(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_: return std::isfinite(value.get_double());
    case boost::json::kind::array:
      for (const auto& item : value.get_array()) {
        if (!all_numbers_finite(item)) return false;
      }
      return true;
    case boost::json::kind::object:
      for (const auto& member : value.get_object()) {
        if (!all_numbers_finite(member.value())) return false;
      }
      return true;
    default: return true;
  }
}

}  // namespace

boost::json::object parse_json_object(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) throw ApiError(ErrorCode::InvalidJson, "request body is not valid JSON");
  if (!value.is_object()) throw ApiError(ErrorCode::InvalidJson, "request body must be a JSON object");
  if (!all_numbers_finite(value)) {
    throw ApiError(ErrorCode::InvalidJson, "the JSON holds a number too large for a double (above about 1.8e308)");
  }
  return std::move(value.as_object());
}

}  // namespace apiota::service
