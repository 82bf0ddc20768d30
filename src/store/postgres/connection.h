#pragma once
// A thin RAII layer over libpq, the PostgreSQL counterpart of
// store/sqlite/connection.h: one Connection owns one server connection and
// prepares each SQL text once (named statements, reused for as long as the
// connection lives); a Result holds what a query returned and walks its rows
// as RowValues; a Transaction commits explicitly or rolls back in its
// destructor. Parameters and results travel as text ($1, $2, ... in the SQL).
//
// Failures throw: StoreUnavailable (store_error.h) when the server cannot be
// reached or the connection is lost or refused (the call may be retried on a
// new connection), StoreFull when the server's disk is full, PostgresError
// (a StoreError with the SQLSTATE) for everything else. Messages never hold
// the connection string, which may carry a password. A Connection is not
// thread-safe; the pool (pool.h) gives each to one thread at a time.

#include <libpq-fe.h>

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

namespace apiota::store::postgres {

// A failure the server reported: sqlstate() is its five-character code
// ("23505" a unique violation, ...), "" when libpq failed on its own.
class PostgresError : public StoreError {
 public:
  PostgresError(const std::string& message, std::string sqlstate)
      : StoreError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// The parameters of one query, in order ($1 first), as text, or as raw
// bytes for a BYTEA (add_bytes); std::nullopt is NULL.
class Params {
 public:
  Params() = default;
  Params& add(std::int64_t value);
  Params& add(int value) { return add(static_cast<std::int64_t>(value)); }
  Params& add(double value);
  Params& add(std::string_view value);
  Params& add(const std::string& value) { return add(std::string_view(value)); }
  Params& add(const char* value) { return add(std::string_view(value)); }
  Params& add(const std::optional<std::string>& value);
  Params& add(const std::optional<std::int64_t>& value);
  // An enumeration is stored as its name: the to_string() declared beside it.
  template <class Enum>
    requires std::is_enum_v<Enum>
  Params& add(Enum value) {
    return add(to_string(value));
  }
  Params& add_null();
  Params& add_bytes(std::span<const std::uint8_t> bytes);

  int size() const { return static_cast<int>(values_.size()); }
  // libpq's view, one entry per parameter: its bytes (null for NULL), their
  // lengths, and their formats (0 text, 1 binary). Valid until the next add.
  std::vector<const char*> pointers() const;
  std::vector<int> lengths() const;
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
};

// What one query returned. Rows are visited in order with next(), as with a
// SQLite statement's step(): the first call moves to the first row.
class Result final : public RowValues {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result();

  // Moves to the next row; false when there is none.
  bool next();
  int rows() const;
  // How many rows an INSERT, UPDATE or DELETE changed.
  std::int64_t affected() const;

  std::int64_t int64(int column) const override;
  double real(int column) const override;
  std::string text(int column) const override;
  std::optional<std::string> optional_text(int column) const override;
  std::optional<std::int64_t> optional_int64(int column) const override;
  bool is_null(int column) const;
  // A BYTEA column's bytes.
  std::vector<std::uint8_t> bytes(int column) const;
  std::span<const int> column_indexes(std::uint64_t key, std::span<const std::string> names) const override;

 private:
  friend class Connection;

  PGresult* result_ = nullptr;
  int row_ = -1;
  mutable std::vector<std::pair<std::uint64_t, std::vector<int>>> column_indexes_;
};

class Connection {
 public:
  // Connects with `conninfo` (a "postgres://..." URI or "key=value" words),
  // giving up on an unreachable server after 5 s and on an unanswered send
  // after 10 s unless `conninfo` says otherwise. Throws StoreUnavailable when
  // the server cannot be reached or refuses.
  explicit Connection(const std::string& conninfo);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one statement with `params`, prepared on first use.
  Result exec(const std::string& sql, const Params& params = {});
  // Runs SQL text that may hold several statements and no parameters
  // (schema migrations, BEGIN/COMMIT).
  void exec_script(std::string_view sql);
  // Whether the connection is still usable: false after it was lost.
  bool usable() const;
  PGconn* handle() const { return conn_; }

 private:
  // Throws the error `result` (or, when null, the connection) reports.
  [[noreturn]] void fail(const PGresult* result, std::string_view doing) const;

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

class Transaction {
 public:
  enum class Isolation { ReadCommitted, Serializable };
  explicit Transaction(Connection& conn, Isolation isolation = Isolation::ReadCommitted);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace apiota::store::postgres
