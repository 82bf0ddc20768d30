// OtaStore on PostgreSQL, its OTA-log half: a report, the device's new
// version and its attempt's move, in one transaction on the device's locked
// row (reports of different devices run side by side; PostgreSQL groups the
// commits' WAL flushes by itself).

#include "store/postgres/attempt_queries.h"
#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {

std::int64_t PostgresStore::append_ota_log(const OtaLogRecord& l, std::optional<std::string_view> new_current_version,
                                           const AttemptWrite& attempt) {
  return db_.write([&](Connection& conn) {
    // The device's row, locked as lock_device_row() does (attempt_queries.h).
    conn.exec("SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE", Params().add(l.device_id));
    Result inserted = conn.exec(
        "INSERT INTO ota_logs (device_id, project_id, status, from_version, to_version, message, received_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        Params()
            .add(l.device_id)
            .add(l.project_id)
            .add(l.status)
            .add(l.from_version)
            .add(l.to_version)
            .add(l.message)
            .add(l.received_at));
    inserted.next();
    if (new_current_version) {
      conn.exec("UPDATE devices SET firmware_version = $1, version_at = GREATEST(version_at, $2) WHERE device_id = $3",
                Params().add(*new_current_version).add(l.received_at).add(l.device_id));
    }
    apply_attempt_write_on(conn, attempt);
    return inserted.int64(0);
  });
}

std::vector<OtaLogRecord> PostgresStore::list_ota_logs(std::string_view device_id, std::int64_t limit) {
  static const std::string sql =
      "SELECT " + ota_log_columns().select_list() + " FROM ota_logs WHERE device_id = $1 ORDER BY id DESC LIMIT $2";
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(sql, Params().add(device_id).add(limit));
    std::vector<OtaLogRecord> out;
    while (r.next()) out.push_back(ota_log_columns().read(r));
    return out;
  });
}

}  // namespace apiota::store::postgres
