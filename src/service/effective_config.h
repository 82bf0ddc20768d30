#pragma once
// A device's effective configuration: its project's default document merged
// with its own (domain/config_merge.h). GET /api/config answers it to the
// device, and GET /api/admin/devices/{id}/config shows the same object to an
// operator as "merged". Blocks on the store; throws ApiError INTERNAL_ERROR
// when a stored document is not a JSON object, StoreError when the store fails.

#include <boost/json/object.hpp>

#include <cstdint>
#include <string_view>

#include "store/config_store.h"

namespace apiota::service {

struct DeviceConfig {
  boost::json::object config;
  std::int64_t updated_at = 0;  // 0 when neither document exists
};

DeviceConfig effective_config(store::ConfigStore& store, std::string_view project_id, std::string_view device_id);

}  // namespace apiota::service
