// OtaStore on SQLite, its OTA-log half: reports arrive in bursts from many
// devices, so they are written by group commit (Database::commit_grouped).

#include "store/record_columns.h"
#include "store/sqlite/attempt_queries.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<OtaLogRecord>& kLog = ota_log_columns();

const std::string kListLogs =
    "SELECT " + kLog.select_list() + " FROM ota_logs WHERE device_id = ? ORDER BY id DESC LIMIT ?";

// One OTA report: its log line, the device's new version on `done`, and
// its update-attempt change.
std::int64_t insert_report(Connection& conn, const OtaLogRecord& l, std::optional<std::string_view> new_current_version,
                           const AttemptWrite& attempt) {
  {
    auto stmt = conn.prepare(
        "INSERT INTO ota_logs (device_id, project_id, status, from_version, to_version, message, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, l.device_id).bind(2, l.project_id).bind(3, l.status).bind(4, l.from_version);
    stmt.bind(5, l.to_version).bind(6, l.message).bind(7, l.received_at);
    stmt.run();
  }
  std::int64_t id = conn.last_insert_rowid();
  if (new_current_version) {
    auto stmt = conn.prepare(
        "UPDATE devices SET firmware_version = ?, version_at = MAX(version_at, ?) WHERE device_id = ?");
    stmt.bind(1, *new_current_version).bind(2, l.received_at).bind(3, l.device_id);
    stmt.run();
  }
  bool changed = false;
  apply_attempt_write_on(conn, attempt, changed);
  return id;
}

}  // namespace

std::int64_t SqliteStore::append_ota_log(const OtaLogRecord& l, std::optional<std::string_view> new_current_version,
                                         const AttemptWrite& attempt) {
  std::int64_t id = 0;
  db_.commit_grouped([&](Connection& conn) { id = insert_report(conn, l, new_current_version, attempt); });
  return id;
}

std::vector<OtaLogRecord> SqliteStore::list_ota_logs(std::string_view device_id, std::int64_t limit) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kListLogs);
  stmt.bind(1, device_id).bind(2, limit);
  std::vector<OtaLogRecord> out;
  while (stmt.step()) out.push_back(kLog.read(stmt));
  return out;
}

}  // namespace apiota::store::sqlite
