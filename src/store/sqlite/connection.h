#pragma once
// A thin RAII layer over the sqlite3 C API: one Connection owns one database
// handle and caches its prepared statements (with the result-column indexes
// of the names read from them, see row_mapping.h); a Statement borrows a
// cached statement and resets it when it goes out of scope; a Transaction
// commits explicitly or rolls back in its destructor.
//
// Every failure throws SqliteError (a store::StoreError) with SQLite's
// message made printable (it may quote a damaged database's bytes). A
// Connection is not thread-safe; the SqliteStore gives each connection to one
// thread at a time.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/row_values.h"
#include "store/store_error.h"

namespace apiota::store::sqlite {

// A failure SQLite reported; code() is its primary result code (SQLITE_NOTADB,
// SQLITE_CANTOPEN, ...), so a caller can tell a damaged database from one it
// could not reach.
class SqliteError : public StoreError {
 public:
  SqliteError(const std::string& message, int code) : StoreError(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// A prepared statement as a Connection caches it: the handle, and for each
// list of column names read from its rows (by key), their result indexes.
struct PreparedStatement {
  sqlite3_stmt* stmt = nullptr;
  std::vector<std::pair<std::uint64_t, std::vector<int>>> column_indexes;
};

class Statement final : public RowValues {
 public:
  Statement(sqlite3* db, PreparedStatement& prepared) : db_(db), stmt_(prepared.stmt), prepared_(prepared) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Each returns *this for chaining.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  // An enumeration binds as its stored name: the to_string() declared beside
  // it (e.g. domain::to_string(domain::Channel)).
  template <class Enum>
    requires std::is_enum_v<Enum>
  Statement& bind(int index, Enum value) {
    return bind(index, to_string(value));
  }
  Statement& bind_null(int index);

  // Advances; true while a row is available, false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  std::int64_t int64(int column) const override;
  double real(int column) const override;
  std::string text(int column) const override;
  // The column's text without a copy: valid until the next step() or reset.
  std::string_view text_view(int column) const;
  std::optional<std::string> optional_text(int column) const override;
  std::optional<std::int64_t> optional_int64(int column) const override;
  bool is_null(int column) const;

  // RowValues::column_indexes: kept with the cached prepared statement.
  std::span<const int> column_indexes(std::uint64_t key, std::span<const std::string> names) const override;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  PreparedStatement& prepared_;
};

class Connection {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with a busy
  // timeout, so other processes sharing the file wait instead of failing. A
  // failure here (including a file that is not a database) names `path`.
  // `vfs` names a registered SQLite VFS (tests inject faults through one);
  // empty means the default VFS.
  explicit Connection(const std::string& path, const std::string& vfs = {});
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void exec(std::string_view sql);
  // A cached prepared statement for `sql`; one Statement per SQL text may be
  // alive at a time.
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, PreparedStatement> cache_;
};

class Transaction {
 public:
  // BEGIN IMMEDIATE: takes the write lock up front so read-then-write logic
  // inside the transaction cannot be interleaved with another writer.
  explicit Transaction(Connection& conn);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace apiota::store::sqlite
