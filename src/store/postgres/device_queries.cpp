// DeviceStore on PostgreSQL: enrolment, lookup, operator changes and
// observations (tags: device_tag_queries.cpp; lists: device_list_queries.cpp).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <unordered_set>
#include <vector>

#include "store/postgres/device_rows.h"
#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

// Thrown out of an import's transaction to roll it back: the plan's limit
// would be passed.
struct ImportOverPlan {};

const std::string kFindDevice = select_devices_with_attempts() + "WHERE d.device_id = $1";

std::optional<DeviceRecord> find_device_on(Connection& conn, std::string_view device_id) {
  Result r = conn.exec(kFindDevice, Params().add(device_id));
  if (!r.next()) return std::nullopt;
  return device_with_attempts(r);
}

// The project's device count, its row locked until the transaction ends:
// enrolments in one project take turns at the plan's limit, on every node.
std::int64_t lock_device_count(Connection& conn, std::string_view project_id) {
  Result r = conn.exec("SELECT device_count FROM projects WHERE id = $1 FOR UPDATE", Params().add(project_id));
  return r.next() ? r.int64(0) : 0;
}

RegisterResult register_on(Connection& conn, const DeviceRecord& d, std::int64_t max_devices) {
  if (auto existing = find_device_on(conn, d.device_id)) return {RegisterOutcome::Exists, std::move(*existing)};
  if (lock_device_count(conn, d.project_id) >= max_devices) return {RegisterOutcome::PlanLimitReached, d};
  Result inserted = conn.exec(
      "INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, channel, blocked, registered_at, "
      "firmware_version, version_at, last_seen_at, last_address) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $6, $8, $9) "
      "ON CONFLICT (device_id) DO NOTHING RETURNING row_id",
      Params()
          .add(d.device_id)
          .add(d.project_id)
          .add(d.secret_salt)
          .add(d.secret_hash)
          .add(d.channel)
          .add(d.registered_at)
          .add(d.firmware_version)
          .add(d.last_seen_at)
          .add(d.last_address));
  if (!inserted.next()) {
    // Registered meanwhile (another project's enrolment, on another node).
    if (auto existing = find_device_on(conn, d.device_id)) return {RegisterOutcome::Exists, std::move(*existing)};
    throw StoreError("device " + d.device_id + " was neither inserted nor found");
  }
  DeviceRecord created = d;
  created.row_id = inserted.int64(0);
  return {RegisterOutcome::Created, std::move(created)};
}

// Rows handed to PostgreSQL as one JSON array (json_to_recordset): a
// statement of one text, prepared once, whatever the number of rows.
const std::string kImportDevices =
    "INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, channel, blocked, registered_at, "
    "firmware_version, version_at) SELECT device_id, project_id, secret_salt, secret_hash, channel, 0, registered_at, "
    "firmware_version, registered_at FROM json_to_recordset($1::json) AS v (device_id TEXT, project_id TEXT, "
    "secret_salt TEXT, secret_hash TEXT, channel TEXT, registered_at BIGINT, firmware_version TEXT) "
    "ON CONFLICT (device_id) DO NOTHING";

std::string devices_json(std::span<const DeviceRecord> devices) {
  boost::json::array rows;
  rows.reserve(devices.size());
  for (const auto& d : devices) {
    boost::json::object row{{"device_id", d.device_id},         {"project_id", d.project_id},
                            {"secret_salt", d.secret_salt},     {"secret_hash", d.secret_hash},
                            {"channel", to_string(d.channel)},  {"registered_at", d.registered_at}};
    row["firmware_version"] = d.firmware_version ? boost::json::value(*d.firmware_version) : boost::json::value(nullptr);
    rows.push_back(std::move(row));
  }
  return boost::json::serialize(rows);
}

// Check-update observations: the newest sighting and the last address; the
// reported version only when observed after the stored one was set (a
// version that does not change leaves the version counters' trigger out, by
// its WHEN).
const std::string kRecordSeen =
    "UPDATE devices d SET last_seen_at = GREATEST(COALESCE(d.last_seen_at, 0), v.seen_at), last_address = v.address, "
    "firmware_version = CASE WHEN d.version_at <= v.seen_at THEN v.version ELSE d.firmware_version END, "
    "version_at = GREATEST(d.version_at, v.seen_at) FROM json_to_recordset($1::json) "
    "AS v (row_id BIGINT, seen_at BIGINT, address TEXT, version TEXT) WHERE d.row_id = v.row_id";

std::string seen_json(std::span<const SeenUpdate* const> updates) {
  boost::json::array rows;
  rows.reserve(updates.size());
  for (const SeenUpdate* u : updates) {
    rows.push_back(boost::json::object{
        {"row_id", u->device_row_id}, {"seen_at", u->seen_at}, {"address", u->address}, {"version", u->reported_version}});
  }
  return boost::json::serialize(rows);
}

}  // namespace

const std::string& select_devices_with_attempts() {
  static const std::string sql =
      "SELECT " + device_columns().select_list("d") + ", " + open_attempt_columns().select_list("a") +
      ", (SELECT string_agg(r.release_id::text, ',' ORDER BY r.id) FROM update_attempts r "
      "WHERE r.device_row_id = d.row_id AND r.outcome = 'rolled_back') AS rolled_back_release_ids "
      "FROM devices d LEFT JOIN update_attempts a ON a.device_row_id = d.row_id AND a.outcome = '' ";
  return sql;
}

DeviceRecord device_with_attempts(const Result& r) {
  DeviceRecord d = device_columns().read(r);
  device_attempt_columns().read(r, d);
  return d;
}

RegisterResult PostgresStore::register_device(const DeviceRecord& d, std::int64_t max_devices) {
  return db_.write([&](Connection& conn) { return register_on(conn, d, max_devices); });
}

DeviceStore::ImportResult PostgresStore::import_devices(std::span<const DeviceRecord> devices,
                                                        std::int64_t max_devices) {
  if (devices.empty()) return {};
  try {
    return import_within_plan(devices, max_devices);
  } catch (const ImportOverPlan&) {
    return ImportResult{false, 0, 0};  // rolled back
  }
}

DeviceStore::ImportResult PostgresStore::import_within_plan(std::span<const DeviceRecord> devices,
                                                            std::int64_t max_devices) {
  return db_.write([&](Connection& conn) {
    ImportResult result;
    lock_device_count(conn, devices.front().project_id);
    // One statement: the insert trigger counts them once (schema.cpp, version 4).
    const std::int64_t inserted = conn.exec(kImportDevices, Params().add(devices_json(devices))).affected();
    result.created = inserted;
    result.existing = static_cast<std::int64_t>(devices.size()) - inserted;
    Result count = conn.exec("SELECT device_count FROM projects WHERE id = $1", Params().add(devices.front().project_id));
    if (count.next() && count.int64(0) > max_devices) throw ImportOverPlan{};
    return result;
  });
}

std::optional<DeviceRecord> PostgresStore::find_device(std::string_view device_id) {
  return db_.read([&](Connection& conn) { return find_device_on(conn, device_id); });
}

std::int64_t PostgresStore::count_devices(std::string_view project_id) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec("SELECT device_count FROM projects WHERE id = $1", Params().add(project_id));
    return r.next() ? r.int64(0) : 0;
  });
}

bool PostgresStore::set_device_blocked(std::string_view project_id, std::string_view device_id, bool blocked,
                                       std::string_view reason) {
  return db_.write(
      [&](Connection& conn) {
        return conn
                   .exec("UPDATE devices SET blocked = $1, blocked_reason = $2 WHERE project_id = $3 AND device_id = $4",
                         Params().add(blocked ? 1 : 0).add(reason).add(project_id).add(device_id))
                   .affected() > 0;
      },
      Database::Caches::MayChange);
}

bool PostgresStore::set_device_channel(std::string_view project_id, std::string_view device_id,
                                       domain::Channel channel) {
  return db_.write(
      [&](Connection& conn) {
        return conn
                   .exec("UPDATE devices SET channel = $1 WHERE project_id = $2 AND device_id = $3",
                         Params().add(channel).add(project_id).add(device_id))
                   .affected() > 0;
      },
      Database::Caches::MayChange);
}

// As on SQLite (store/sqlite/device_queries.cpp): a poll that reports the
// version the device has is written without firmware_version, so the
// version counter's trigger and index entries are left alone. Each UPDATE
// re-reads its row once it holds the row's lock, so a concurrent OTA report
// (READ COMMITTED) is never overwritten with an older observation.
void PostgresStore::record_seen(std::span<const SeenUpdate> updates) {
  if (updates.empty()) return;
  db_.write([&](Connection& conn) {
    // One statement, each device at most once in it (a device seen twice
    // goes in the next one, so the updates apply in their order).
    std::vector<const SeenUpdate*> batch;
    std::unordered_set<std::int64_t> in_batch;
    const auto flush = [&] {
      if (batch.empty()) return;
      conn.exec(kRecordSeen, Params().add(seen_json(batch)));
      batch.clear();
      in_batch.clear();
    };
    for (const auto& u : updates) {
      if (in_batch.contains(u.device_row_id)) flush();
      batch.push_back(&u);
      in_batch.insert(u.device_row_id);
    }
    flush();
  });
}

}  // namespace apiota::store::postgres
