#include "store/sqlite/connection.h"

#include "domain/printable.h"

namespace apiota::store::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  int code = db ? sqlite3_errcode(db) & 0xff : SQLITE_NOMEM;
  if (code == SQLITE_FULL) throw StoreFull(std::string(what) + ": " + domain::printable(message));
  throw SqliteError(std::string(what) + ": " + domain::printable(message), code);
}

}  // namespace

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK) {
    fail(db_, "bind");
  }
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

void Statement::run() {
  while (step()) {
  }
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::string_view Statement::text_view(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return text(column);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return int64(column);
}

std::span<const int> Statement::column_indexes(std::uint64_t key, std::span<const std::string> names) const {
  for (const auto& [known, indexes] : prepared_.column_indexes) {
    if (known == key) return indexes;
  }
  const int count = sqlite3_column_count(stmt_);
  std::vector<int> indexes;
  for (const auto& name : names) {
    int index = 0;
    for (; index < count; ++index) {
      const char* column = sqlite3_column_name(stmt_, index);
      if (column && name == column) break;
    }
    if (index == count) {
      throw StoreError("no column '" + name + "' in the result of: " + sqlite3_sql(stmt_));
    }
    indexes.push_back(index);
  }
  return prepared_.column_indexes.emplace_back(key, std::move(indexes)).second;
}

Connection::Connection(const std::string& path, const std::string& vfs) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db_, 10000);
    // SQLite reads the file lazily: these are the first reads, where a file
    // that is not a database or cannot be reached shows.
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
      rc = sqlite3_exec(db_, pragma, nullptr, nullptr, nullptr);
      if (rc != SQLITE_OK) break;
    }
  }
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError("cannot open " + domain::printable(path) + ": " + domain::printable(message), rc & 0xff);
  }
}

Connection::~Connection() {
  for (auto& [sql, prepared] : cache_) sqlite3_finalize(prepared.stmt);
  sqlite3_close(db_);
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    if ((rc & 0xff) == SQLITE_FULL) throw StoreFull("exec failed: " + domain::printable(message));
    throw SqliteError("exec failed: " + domain::printable(message), rc & 0xff);
  }
}

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK) {
      fail(db_, "prepare");
    }
    it = cache_.emplace(std::string(sql), PreparedStatement{stmt, {}}).first;
  }
  return Statement(db_, it->second);
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

Transaction::Transaction(Connection& conn) : conn_(conn) { conn_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      conn_.exec("ROLLBACK");
    } catch (const StoreError&) {
      // The transaction is already gone (SQLite rolls back on some errors).
    }
  }
}

void Transaction::commit() {
  conn_.exec("COMMIT");
  done_ = true;
}

}  // namespace apiota::store::sqlite
