// DeviceStore on SQLite: enrolment, lookup, operator changes and
// observations (tags: device_tag_queries.cpp; lists: device_list_queries.cpp).

#include "store/record_columns.h"
#include "store/sqlite/attempt_queries.h"
#include "store/sqlite/device_rows.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<DeviceRecord>& kDevice = device_columns();

const std::string kFindDevice = select_devices_with_attempts() + "WHERE d.device_id = ?";

std::optional<DeviceRecord> find_device_on(Connection& conn, std::string_view device_id) {
  auto stmt = conn.prepare(kFindDevice);
  stmt.bind(1, device_id);
  if (!stmt.step()) return std::nullopt;
  return device_with_attempts(stmt);
}

RegisterResult register_on(Connection& conn, const DeviceRecord& d, std::int64_t max_devices) {
  if (auto existing = find_device_on(conn, d.device_id)) {
    return {RegisterOutcome::Exists, std::move(*existing)};
  }
  {
    auto count = conn.prepare("SELECT device_count FROM projects WHERE id = ?");
    count.bind(1, d.project_id);
    if (count.step() && count.int64(0) >= max_devices) return {RegisterOutcome::PlanLimitReached, d};
  }
  {
    auto insert = conn.prepare(
        "INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, channel, blocked, registered_at, "
        "firmware_version, version_at, last_seen_at, last_address) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)");
    insert.bind(1, d.device_id).bind(2, d.project_id).bind(3, d.secret_salt).bind(4, d.secret_hash);
    insert.bind(5, d.channel).bind(6, d.registered_at).bind(7, d.firmware_version).bind(8, d.registered_at);
    insert.bind(9, d.last_seen_at).bind(10, d.last_address);
    insert.run();
  }
  DeviceRecord created = d;
  created.row_id = conn.last_insert_rowid();
  return {RegisterOutcome::Created, std::move(created)};
}

}  // namespace

const std::string& select_devices_with_attempts() {
  static const std::string sql =
      "SELECT " + kDevice.select_list("d") + ", " + open_attempt_columns().select_list("a") +
      ", (SELECT group_concat(r.release_id) FROM update_attempts r WHERE r.device_row_id = d.row_id "
      "AND r.outcome = 'rolled_back') AS rolled_back_release_ids "
      "FROM devices d LEFT JOIN update_attempts a ON a.device_row_id = d.row_id AND a.outcome = '' ";
  return sql;
}

DeviceRecord device_with_attempts(const Statement& s) {
  DeviceRecord d = kDevice.read(s);
  device_attempt_columns().read(s, d);
  return d;
}

// Registrations arrive from many devices at once: they share group commits
// (each one a transaction of its own would write every index page it touches
// once per device).
RegisterResult SqliteStore::register_device(const DeviceRecord& d, std::int64_t max_devices) {
  RegisterResult result;
  db_.commit_grouped([&](Connection& conn) { result = register_on(conn, d, max_devices); });
  return result;
}

DeviceStore::ImportResult SqliteStore::import_devices(std::span<const DeviceRecord> devices,
                                                      std::int64_t max_devices) {
  ImportResult result;
  if (devices.empty()) return result;
  auto writer = db_.writer();
  Transaction tx(*writer);
  for (const auto& d : devices) {
    auto insert = writer->prepare(
        "INSERT OR IGNORE INTO devices (device_id, project_id, secret_salt, secret_hash, channel, blocked, "
        "registered_at, firmware_version, version_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)");
    insert.bind(1, d.device_id).bind(2, d.project_id).bind(3, d.secret_salt).bind(4, d.secret_hash);
    insert.bind(5, d.channel).bind(6, d.registered_at).bind(7, d.firmware_version).bind(8, d.registered_at);
    insert.run();
    if (writer->changes() > 0) {
      ++result.created;
    } else {
      ++result.existing;
    }
  }
  auto count = writer->prepare("SELECT device_count FROM projects WHERE id = ?");
  count.bind(1, devices.front().project_id);
  if (count.step() && count.int64(0) > max_devices) return ImportResult{false, 0, 0};  // rolled back
  tx.commit();
  return result;
}

std::optional<DeviceRecord> SqliteStore::find_device(std::string_view device_id) {
  auto conn = db_.reader();
  return find_device_on(*conn, device_id);
}

std::int64_t SqliteStore::count_devices(std::string_view project_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare("SELECT device_count FROM projects WHERE id = ?");
  stmt.bind(1, project_id);
  return stmt.step() ? stmt.int64(0) : 0;
}

bool SqliteStore::set_device_blocked(std::string_view project_id, std::string_view device_id, bool blocked,
                                     std::string_view reason) {
  auto writer = db_.writer();
  auto stmt = writer->prepare(
      "UPDATE devices SET blocked = ?, blocked_reason = ? WHERE project_id = ? AND device_id = ?");
  // A copy: an empty view may have no data, which SQLite would store as NULL.
  stmt.bind(1, std::int64_t{blocked ? 1 : 0}).bind(2, std::string(reason)).bind(3, project_id).bind(4, device_id);
  stmt.run();
  return writer->changes() > 0;
}

bool SqliteStore::set_device_channel(std::string_view project_id, std::string_view device_id,
                                     domain::Channel channel) {
  auto writer = db_.writer();
  auto stmt = writer->prepare("UPDATE devices SET channel = ? WHERE project_id = ? AND device_id = ?");
  stmt.bind(1, channel).bind(2, project_id).bind(3, device_id);
  stmt.run();
  return writer->changes() > 0;
}

// A poll that reports the version the device already has (nearly every
// poll) is written without firmware_version: the same result as the full
// write, whose firmware_version would be unchanged, but an UPDATE naming
// firmware_version maintains the indexes and the version counter trigger on
// it (kSchemaV9, kSchemaV12) even when the value stays. Otherwise (or when
// the row is missing) the full write: the version is taken when the poll is
// not older than the last version change (version_at).
void SqliteStore::record_seen(std::span<const SeenUpdate> updates) {
  if (updates.empty()) return;
  auto writer = db_.writer();
  Transaction tx(*writer);
  for (const auto& u : updates) {
    auto same_version = writer->prepare(
        "UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?1), last_address = ?2, "
        "version_at = MAX(version_at, ?1) WHERE row_id = ?4 AND firmware_version IS ?3");
    same_version.bind(1, u.seen_at).bind(2, u.address).bind(3, u.reported_version).bind(4, u.device_row_id);
    same_version.run();
    if (writer->changes() > 0) continue;
    auto stmt = writer->prepare(
        "UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?1), last_address = ?2, "
        "firmware_version = CASE WHEN version_at <= ?1 THEN ?3 ELSE firmware_version END, "
        "version_at = MAX(version_at, ?1) WHERE row_id = ?4");
    stmt.bind(1, u.seen_at).bind(2, u.address).bind(3, u.reported_version).bind(4, u.device_row_id);
    stmt.run();
  }
  tx.commit();
}

}  // namespace apiota::store::sqlite
