// DeviceStore on PostgreSQL, its tags: what rollouts and pins select devices by.

#include "store/postgres/postgres_store.h"

namespace apiota::store::postgres {

std::vector<std::string> PostgresStore::device_tags(std::string_view device_id) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec("SELECT tag FROM device_tags WHERE device_id = $1 ORDER BY tag", Params().add(device_id));
    std::vector<std::string> out;
    while (r.next()) out.push_back(r.text(0));
    return out;
  });
}

// Replacing a device's tags reads nothing, but two replacements of one
// device's tags must not interleave (the result would be their union): they
// take turns on a lock named after the device.
void PostgresStore::set_device_tags(std::string_view device_id, std::span<const std::string> tags) {
  db_.write(
      [&](Connection& conn) {
        conn.exec("SELECT pg_advisory_xact_lock(hashtext($1))", Params().add(device_id));
        conn.exec("DELETE FROM device_tags WHERE device_id = $1", Params().add(device_id));
        for (const auto& tag : tags) {
          // The row carries its device's project (as SQLite's, schema V13).
          conn.exec(
              "INSERT INTO device_tags (device_id, tag, project_id) VALUES ($1, $2, "
              "COALESCE((SELECT project_id FROM devices WHERE device_id = $1), '')) ON CONFLICT DO NOTHING",
              Params().add(device_id).add(tag));
        }
      },
      Database::Caches::MayChange);
}

std::vector<std::string> PostgresStore::device_ids_with_tag(std::string_view project_id, std::string_view tag) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec("SELECT device_id FROM device_tags WHERE project_id = $1 AND tag = $2 ORDER BY device_id",
                         Params().add(project_id).add(tag));
    std::vector<std::string> out;
    while (r.next()) out.push_back(r.text(0));
    return out;
  });
}

}  // namespace apiota::store::postgres
