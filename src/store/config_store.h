#pragma once
// ConfigStore: the configuration objects handed to devices, one per project
// and one per device (serialized JSON; merging them is domain/config_merge).
// Every method follows the contract of store/store.h (thread-safe, blocking,
// durable on return, StoreError when the database fails).

#include <optional>
#include <string_view>

#include "store/records.h"

namespace apiota::store {

class ConfigStore {
 public:
  virtual ~ConfigStore() = default;

  // Config objects (serialized JSON); set_* creates or replaces.
  virtual std::optional<ConfigRecord> project_config(std::string_view project_id) = 0;
  virtual std::optional<ConfigRecord> device_config(std::string_view device_id) = 0;
  virtual void set_project_config(std::string_view project_id, const ConfigRecord& config) = 0;
  virtual void set_device_config(std::string_view device_id, const ConfigRecord& config) = 0;
};

}  // namespace apiota::store
