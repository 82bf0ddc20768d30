#include "service/config_document.h"

#include <boost/json.hpp>

#include "service/api_error.h"
#include "service/json_object.h"
#include "service/json_text.h"

namespace apiota::service {

store::ConfigRecord make_config_record(std::string_view json_text, std::int64_t now_ms) {
  boost::json::object object = parse_json_object(json_text);
  std::string serialized = to_json_text(object);
  if (serialized.size() > kMaxConfigBytes) {
    throw ApiError(ErrorCode::InvalidJson, "config must be at most 64 KiB");
  }
  // Every device reads this text back; what would not parse is never stored.
  boost::system::error_code ec;
  boost::json::parse(serialized, ec);
  if (ec) throw ApiError(ErrorCode::InvalidJson, "config cannot be stored as valid JSON");
  return {std::move(serialized), now_ms};
}

}  // namespace apiota::service
