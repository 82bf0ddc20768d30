// ConfigStore on PostgreSQL: one JSON object per project and per device, each
// kind in a table of its own keyed by its owner's id.

#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

// The queries of one config table.
struct ConfigTable {
  ConfigTable(const std::string& table, const std::string& owner)
      : select("SELECT " + config_columns().select_list() + " FROM " + table + " WHERE " + owner + " = $1"),
        upsert("INSERT INTO " + table + " (" + owner + ", json, updated_at) VALUES ($1, $2, $3) ON CONFLICT (" +
               owner + ") DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at") {}
  std::string select;
  std::string upsert;
};

const ConfigTable kProjectConfig("project_config", "project_id");
const ConfigTable kDeviceConfig("device_config", "device_id");

std::optional<ConfigRecord> read_config(Database& db, const ConfigTable& table, std::string_view owner) {
  return db.read([&](Connection& conn) -> std::optional<ConfigRecord> {
    Result r = conn.exec(table.select, Params().add(owner));
    if (!r.next()) return std::nullopt;
    return config_columns().read(r);
  });
}

void write_config(Database& db, const ConfigTable& table, std::string_view owner, const ConfigRecord& c) {
  db.write([&](Connection& conn) { conn.exec(table.upsert, Params().add(owner).add(c.json).add(c.updated_at)); });
}

}  // namespace

std::optional<ConfigRecord> PostgresStore::project_config(std::string_view project_id) {
  return read_config(db_, kProjectConfig, project_id);
}

std::optional<ConfigRecord> PostgresStore::device_config(std::string_view device_id) {
  return read_config(db_, kDeviceConfig, device_id);
}

void PostgresStore::set_project_config(std::string_view project_id, const ConfigRecord& config) {
  write_config(db_, kProjectConfig, project_id, config);
}

void PostgresStore::set_device_config(std::string_view device_id, const ConfigRecord& config) {
  write_config(db_, kDeviceConfig, device_id, config);
}

}  // namespace apiota::store::postgres
