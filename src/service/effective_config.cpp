#include "service/effective_config.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <optional>

#include "domain/config_merge.h"
#include "service/api_error.h"

namespace apiota::service {
namespace {

boost::json::object stored_object(const std::optional<store::ConfigRecord>& record) {
  if (!record) return {};
  boost::system::error_code ec;
  auto value = boost::json::parse(record->json, ec);
  if (ec || !value.is_object()) throw ApiError(ErrorCode::InternalError, "stored config is corrupt");
  return std::move(value.as_object());
}

}  // namespace

DeviceConfig effective_config(store::ConfigStore& store, std::string_view project_id, std::string_view device_id) {
  auto project_config = store.project_config(project_id);
  auto device_config = store.device_config(device_id);
  DeviceConfig out;
  out.config = domain::merge_config(stored_object(project_config), stored_object(device_config));
  out.updated_at = std::max(project_config ? project_config->updated_at : 0,
                            device_config ? device_config->updated_at : 0);
  return out;
}

}  // namespace apiota::service
