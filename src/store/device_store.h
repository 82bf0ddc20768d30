#pragma once
// DeviceStore: the fleet. A device row (identity, secret digest, channel,
// block flag, last observation) with its tags; enrolment one by one
// (register) or in bulk (import), both within the project's plan. Every
// method follows the contract of store/store.h (thread-safe, blocking,
// durable on return, StoreError when the database fails, "not found" as an
// empty optional or false).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

enum class RegisterOutcome {
  Created,          // a new device row was inserted
  Exists,           // the id is taken; `existing` holds the row so the caller can compare secrets
  PlanLimitReached  // the project already holds max_devices devices
};

struct RegisterResult {
  RegisterOutcome outcome;
  DeviceRecord device;  // the inserted row, or the existing one
};

struct DeviceQuery {
  std::string project_id;
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;

  // register_device decides atomically between creating the row, reporting
  // the existing one, and refusing over the plan's device limit.
  virtual RegisterResult register_device(const DeviceRecord& candidate, std::int64_t max_devices) = 0;
  // Bulk enrollment (`apiota devices import`), all of one project: inserts
  // the devices whose id is free, in one transaction, and counts the rest as
  // existing. Nothing is inserted when the project would exceed max_devices.
  struct ImportResult {
    bool within_plan = true;
    std::int64_t created = 0;
    std::int64_t existing = 0;
  };
  virtual ImportResult import_devices(std::span<const DeviceRecord> devices, std::int64_t max_devices) = 0;
  // Both also fill the device's open attempt and rolled-back releases.
  virtual std::optional<DeviceRecord> find_device(std::string_view device_id) = 0;
  virtual std::vector<DeviceRecord> list_devices(const DeviceQuery& query) = 0;
  virtual std::int64_t count_devices(std::string_view project_id) = 0;
  // False if the device does not exist in that project. `reason` is stored
  // with the flag (callers pass "" when unblocking).
  virtual bool set_device_blocked(std::string_view project_id, std::string_view device_id, bool blocked,
                                  std::string_view reason) = 0;
  virtual bool set_device_channel(std::string_view project_id, std::string_view device_id,
                                  domain::Channel channel) = 0;
  // Applies check-update observations in one transaction. A reported version
  // only replaces the stored one if it was observed after the stored one was
  // set (an ota-log `done` written meanwhile wins over an older poll).
  virtual void record_seen(std::span<const SeenUpdate> updates) = 0;
  // A device's tags (sorted); set_device_tags replaces them all.
  virtual std::vector<std::string> device_tags(std::string_view device_id) = 0;
  virtual void set_device_tags(std::string_view device_id, std::span<const std::string> tags) = 0;
  // The ids of a project's devices that carry `tag`, sorted.
  virtual std::vector<std::string> device_ids_with_tag(std::string_view project_id, std::string_view tag) = 0;
};

}  // namespace apiota::store
