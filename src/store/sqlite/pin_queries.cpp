// PinStore on SQLite.

#include "store/record_columns.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<PinRecord>& kPin = pin_columns();

const std::string kListPins =
    "SELECT " + kPin.select_list() + " FROM pins WHERE project_id = ? ORDER BY scope, subject";

}  // namespace

std::vector<PinRecord> SqliteStore::list_pins(std::string_view project_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kListPins);
  stmt.bind(1, project_id);
  std::vector<PinRecord> out;
  while (stmt.step()) out.push_back(kPin.read(stmt));
  return out;
}

void SqliteStore::set_pin(const PinRecord& pin) {
  auto writer = db_.writer();
  auto stmt = writer->prepare(
      "INSERT INTO pins (project_id, scope, subject, version, created_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT(project_id, scope, subject) DO UPDATE SET version = excluded.version, "
      "created_at = excluded.created_at");
  stmt.bind(1, pin.project_id).bind(2, pin.scope).bind(3, pin.subject).bind(4, pin.version).bind(5, pin.created_at);
  stmt.run();
}

bool SqliteStore::clear_pin(std::string_view project_id, domain::PinScope scope, std::string_view subject) {
  auto writer = db_.writer();
  auto stmt = writer->prepare("DELETE FROM pins WHERE project_id = ? AND scope = ? AND subject = ?");
  stmt.bind(1, project_id).bind(2, scope).bind(3, subject);
  stmt.run();
  return writer->changes() > 0;
}

}  // namespace apiota::store::sqlite
