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

// How a device list is ordered; ties (and DeviceId itself) by device_id.
// A device that was never seen, or whose version is unknown, sorts before
// every other when ascending (after them when descending).
enum class DeviceSort { DeviceId, LastSeenAt, RegisteredAt, FirmwareVersion };

// A place in a device list: the sort field of a device and its id
// (position_of()). For LastSeenAt and RegisteredAt the field is `number`, for
// FirmwareVersion `text`; std::nullopt where the device has none.
struct DevicePosition {
  std::optional<std::int64_t> number;
  std::optional<std::string> text;
  std::string device_id;
};

// A page of a project's devices: those matching every filter that is set,
// in `sort` order, from `offset` or from just after `after` (keyset paging,
// as fast deep in the list as at its start), at most `limit`.
struct DeviceQuery {
  std::string project_id;
  std::int64_t limit = 100;
  std::int64_t offset = 0;
  std::string id_prefix = {};                   // device_id starts with it ("" matches all)
  std::optional<std::string> tag = {};          // carries this tag
  std::optional<std::string> version = {};      // firmware_version is exactly this
  std::optional<domain::Channel> channel = {};
  std::optional<bool> blocked = {};
  std::optional<std::int64_t> seen_after = {};   // last_seen_at >= this (never-seen devices never match)
  std::optional<std::int64_t> seen_before = {};  // last_seen_at < this (never-seen devices never match)
  DeviceSort sort = DeviceSort::DeviceId;
  bool descending = false;
  std::optional<DevicePosition> after = {};

  // Whether any filter is set (the project's device count is then not the total).
  bool filtered() const {
    return !id_prefix.empty() || tag || version || channel || blocked || seen_after || seen_before;
  }
};

// Where `device` stands in a list sorted by `sort`.
DevicePosition position_of(const DeviceRecord& device, DeviceSort sort);

// How many devices match a query's filters: `count` exactly, or, when more
// than the cap asked for, the cap with `exact` false.
struct DeviceCount {
  std::int64_t count = 0;
  bool exact = true;
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
  // The devices matching `query`'s filters (its paging and sort ignored),
  // counted up to `cap` (>= 0).
  virtual DeviceCount count_matching_devices(const DeviceQuery& query, std::int64_t cap) = 0;
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
