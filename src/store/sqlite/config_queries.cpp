// ConfigStore on SQLite: one JSON object per project and per device, each
// kind in a table of its own keyed by its owner's id.

#include "store/record_columns.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<ConfigRecord>& kConfig = config_columns();

// The queries of one config table.
struct ConfigTable {
  ConfigTable(const std::string& table, const std::string& owner)
      : select("SELECT " + kConfig.select_list() + " FROM " + table + " WHERE " + owner + " = ?"),
        upsert("INSERT INTO " + table + " (" + owner + ", json, updated_at) VALUES (?, ?, ?) ON CONFLICT(" + owner +
               ") DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at") {}
  std::string select;
  std::string upsert;
};

const ConfigTable kProjectConfig("project_config", "project_id");
const ConfigTable kDeviceConfig("device_config", "device_id");

std::optional<ConfigRecord> read_config(Database& db, const ConfigTable& table, std::string_view owner) {
  auto conn = db.reader();
  auto stmt = conn->prepare(table.select);
  stmt.bind(1, owner);
  if (!stmt.step()) return std::nullopt;
  return kConfig.read(stmt);
}

void write_config(Database& db, const ConfigTable& table, std::string_view owner, const ConfigRecord& c) {
  auto writer = db.writer();
  auto stmt = writer->prepare(table.upsert);
  stmt.bind(1, owner).bind(2, c.json).bind(3, c.updated_at);
  stmt.run();
}

}  // namespace

std::optional<ConfigRecord> SqliteStore::project_config(std::string_view project_id) {
  return read_config(db_, kProjectConfig, project_id);
}

std::optional<ConfigRecord> SqliteStore::device_config(std::string_view device_id) {
  return read_config(db_, kDeviceConfig, device_id);
}

void SqliteStore::set_project_config(std::string_view project_id, const ConfigRecord& config) {
  write_config(db_, kProjectConfig, project_id, config);
}

void SqliteStore::set_device_config(std::string_view device_id, const ConfigRecord& config) {
  write_config(db_, kDeviceConfig, device_id, config);
}

}  // namespace apiota::store::sqlite
