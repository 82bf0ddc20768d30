// ConsoleSessionStore on SQLite: the console's sessions, read with the key
// that opened each.

#include "store/record_columns.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<ConsoleSessionRecord>& kSession = console_session_columns();

const RowMapping<KeyRecord> kSessionKey = key_columns().prefixed("key_");

const std::string kFindSession =
    "SELECT " + kSession.select_list("s") +
    ", k.project_id AS key_project_id, k.role AS key_role, k.hash AS key_hash, k.hint AS key_hint, "
    "k.created_at AS key_created_at, k.revoked_at AS key_revoked_at, k.label AS key_label "
    "FROM console_sessions s JOIN api_keys k ON k.id = s.key_id WHERE s.token_hash = ?";

}  // namespace

void SqliteStore::insert_console_session(const ConsoleSessionRecord& s) {
  auto writer = db_.writer();
  auto stmt = writer->prepare(
      "INSERT INTO console_sessions (token_hash, key_id, project_id, created_at, last_used_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  stmt.bind(1, s.token_hash).bind(2, s.key_id).bind(3, s.project_id).bind(4, s.created_at);
  stmt.bind(5, s.last_used_at).bind(6, s.expires_at);
  stmt.run();
}

std::optional<ConsoleSessionLookup> SqliteStore::find_console_session(std::string_view token_hash) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kFindSession);
  stmt.bind(1, token_hash);
  if (!stmt.step()) return std::nullopt;
  ConsoleSessionLookup found{kSession.read(stmt), kSessionKey.read(stmt)};
  return found;
}

bool SqliteStore::touch_console_session(std::string_view token_hash, std::int64_t last_used_at) {
  auto writer = db_.writer();
  auto stmt = writer->prepare("UPDATE console_sessions SET last_used_at = ? WHERE token_hash = ?");
  stmt.bind(1, last_used_at).bind(2, token_hash);
  stmt.run();
  return writer->changes() > 0;
}

bool SqliteStore::delete_console_session(std::string_view token_hash) {
  auto writer = db_.writer();
  auto stmt = writer->prepare("DELETE FROM console_sessions WHERE token_hash = ?");
  stmt.bind(1, token_hash);
  stmt.run();
  return writer->changes() > 0;
}

std::int64_t SqliteStore::delete_ended_console_sessions(std::int64_t now, std::int64_t idle_cutoff) {
  auto writer = db_.writer();
  auto stmt = writer->prepare("DELETE FROM console_sessions WHERE expires_at <= ? OR last_used_at <= ?");
  stmt.bind(1, now).bind(2, idle_cutoff);
  stmt.run();
  return writer->changes();
}

}  // namespace apiota::store::sqlite
