// DeviceStore on SQLite, its tags: what rollouts and pins select devices by.

#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {

std::vector<std::string> SqliteStore::device_tags(std::string_view device_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare("SELECT tag FROM device_tags WHERE device_id = ? ORDER BY tag");
  stmt.bind(1, device_id);
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

void SqliteStore::set_device_tags(std::string_view device_id, std::span<const std::string> tags) {
  auto writer = db_.writer();
  Transaction tx(*writer);
  {
    auto clear = writer->prepare("DELETE FROM device_tags WHERE device_id = ?");
    clear.bind(1, device_id);
    clear.run();
  }
  for (const auto& tag : tags) {
    // The row carries its device's project (schema.cpp, kSchemaV13).
    auto insert = writer->prepare(
        "INSERT OR IGNORE INTO device_tags (device_id, tag, project_id) "
        "VALUES (?1, ?2, COALESCE((SELECT project_id FROM devices WHERE device_id = ?1), ''))");
    insert.bind(1, device_id).bind(2, tag);
    insert.run();
  }
  tx.commit();
}

std::vector<std::string> SqliteStore::device_ids_with_tag(std::string_view project_id, std::string_view tag) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT device_id FROM device_tags WHERE project_id = ? AND tag = ? ORDER BY device_id");
  stmt.bind(1, project_id).bind(2, tag);
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

}  // namespace apiota::store::sqlite
