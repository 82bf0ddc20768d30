// ConsoleSessionStore on PostgreSQL: the console's sessions, read with the
// key that opened each.

#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

const RowMapping<KeyRecord> kSessionKey = key_columns().prefixed("key_");

// The key's columns as key_* (its id is the session's key_id).
const std::string kFindSession =
    "SELECT " + console_session_columns().select_list("s") +
    ", k.project_id AS key_project_id, k.role AS key_role, k.hash AS key_hash, k.hint AS key_hint, "
    "k.created_at AS key_created_at, k.revoked_at AS key_revoked_at, k.label AS key_label "
    "FROM console_sessions s JOIN api_keys k ON k.id = s.key_id WHERE s.token_hash = $1";

}  // namespace

void PostgresStore::insert_console_session(const ConsoleSessionRecord& s) {
  db_.write([&](Connection& conn) {
    conn.exec(
        "INSERT INTO console_sessions (token_hash, key_id, project_id, created_at, last_used_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        Params().add(s.token_hash).add(s.key_id).add(s.project_id).add(s.created_at).add(s.last_used_at).add(s.expires_at));
  });
}

std::optional<ConsoleSessionLookup> PostgresStore::find_console_session(std::string_view token_hash) {
  return db_.read([&](Connection& conn) -> std::optional<ConsoleSessionLookup> {
    Result r = conn.exec(kFindSession, Params().add(token_hash));
    if (!r.next()) return std::nullopt;
    return ConsoleSessionLookup{console_session_columns().read(r), kSessionKey.read(r)};
  });
}

bool PostgresStore::touch_console_session(std::string_view token_hash, std::int64_t last_used_at) {
  return db_.write([&](Connection& conn) {
    return conn
               .exec("UPDATE console_sessions SET last_used_at = $1 WHERE token_hash = $2",
                     Params().add(last_used_at).add(token_hash))
               .affected() > 0;
  });
}

bool PostgresStore::delete_console_session(std::string_view token_hash) {
  return db_.write([&](Connection& conn) {
    return conn.exec("DELETE FROM console_sessions WHERE token_hash = $1", Params().add(token_hash)).affected() > 0;
  });
}

std::int64_t PostgresStore::delete_ended_console_sessions(std::int64_t now, std::int64_t idle_cutoff) {
  return db_.write([&](Connection& conn) {
    return conn
        .exec("DELETE FROM console_sessions WHERE expires_at <= $1 OR last_used_at <= $2",
              Params().add(now).add(idle_cutoff))
        .affected();
  });
}

}  // namespace apiota::store::postgres
