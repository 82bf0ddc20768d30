#pragma once
// The columns each record is stored in, the same in every store
// implementation (SQLite's schema and PostgreSQL's name them alike): one
// RowMapping per record, read by column name (row_mapping.h), and the
// columns device lists sort by. Each mapping is built on first use, so
// queries may build their SQL from them at any time.

#include <string>
#include <string_view>

#include "store/console_session_store.h"
#include "store/device_store.h"
#include "store/records.h"
#include "store/row_mapping.h"

namespace apiota::store {

const RowMapping<ProjectRecord>& project_columns();
const RowMapping<KeyRecord>& key_columns();
// The device's own row; its open attempt and rolled-back releases are
// device_attempt_columns().
const RowMapping<DeviceRecord>& device_columns();
// Every column of update_attempts, by its own name.
const RowMapping<AttemptRecord>& attempt_columns();
// What a device is read with beyond its own row: its open attempt selected
// beside it as attempt_* (attempt_id NULL when it has none), and
// rolled_back_release_ids, the comma-separated ids of the releases its
// rolled-back attempts were for.
const RowMapping<DeviceRecord>& device_attempt_columns();
// The attempt columns of device_attempt_columns(), for a select list.
const RowMapping<AttemptRecord>& open_attempt_columns();
const RowMapping<ReleaseRecord>& release_columns();
const RowMapping<PinRecord>& pin_columns();
const RowMapping<OtaLogRecord>& ota_log_columns();
const RowMapping<ConfigRecord>& config_columns();
// The entry itself; its key's label is read as actor_label.
const RowMapping<AuditRecord>& audit_columns();
const RowMapping<ConsoleSessionRecord>& console_session_columns();
// A release's ended attempts by outcome: release_id, installs, failures,
// stuck, rolled_back, revoked.
const RowMapping<ReleaseOutcomes>& release_outcomes_columns();

// The column of devices `d` a device list sorted by `sort` orders by before
// d.device_id: d.last_seen_key, d.registered_at or d.version_key (the
// stand-in keys are -1 and '' where the device has no value); "" for
// DeviceSort::DeviceId itself.
std::string_view device_sort_column(DeviceSort sort);

// The first id after every id starting with `prefix` (not empty): ids
// starting with it are those >= prefix and < this, compared bytewise. Device
// ids are ASCII from a set that excludes 0x7f, so the last byte can always
// grow by one.
std::string id_prefix_end(std::string prefix);

}  // namespace apiota::store
