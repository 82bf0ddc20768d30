// PinStore on PostgreSQL.

#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {

std::vector<PinRecord> PostgresStore::list_pins(std::string_view project_id) {
  static const std::string sql =
      "SELECT " + pin_columns().select_list() + " FROM pins WHERE project_id = $1 ORDER BY scope, subject";
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(sql, Params().add(project_id));
    std::vector<PinRecord> out;
    while (r.next()) out.push_back(pin_columns().read(r));
    return out;
  });
}

void PostgresStore::set_pin(const PinRecord& pin) {
  db_.write(
      [&](Connection& conn) {
        conn.exec(
            "INSERT INTO pins (project_id, scope, subject, version, created_at) VALUES ($1, $2, $3, $4, $5) "
            "ON CONFLICT (project_id, scope, subject) DO UPDATE SET version = excluded.version, "
            "created_at = excluded.created_at",
            Params().add(pin.project_id).add(pin.scope).add(pin.subject).add(pin.version).add(pin.created_at));
      },
      Database::Caches::MayChange);
}

bool PostgresStore::clear_pin(std::string_view project_id, domain::PinScope scope, std::string_view subject) {
  return db_.write(
      [&](Connection& conn) {
        return conn
                   .exec("DELETE FROM pins WHERE project_id = $1 AND scope = $2 AND subject = $3",
                         Params().add(project_id).add(scope).add(subject))
                   .affected() > 0;
      },
      Database::Caches::MayChange);
}

}  // namespace apiota::store::postgres
