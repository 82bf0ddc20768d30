#include "store/postgres/connection.h"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

namespace apiota::store::postgres {
namespace {

// SQLSTATE classes and codes that mean "the server is not there for us now":
// connection exceptions (08), the server shutting down or starting (57P0x),
// too many connections (53300).
bool means_unavailable(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||
         sqlstate == "53300";
}

// libpq's messages end with a newline.
std::string trimmed(const char* message) {
  std::string out = message != nullptr ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::int64_t parse_int64(const char* text) {
  std::int64_t value = 0;
  std::from_chars(text, text + std::char_traits<char>::length(text), value);
  return value;
}

}  // namespace

Params& Params::add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  formats_.push_back(0);
  return *this;
}

Params& Params::add(double value) {
  values_.emplace_back(fmt::format("{}", value));  // shortest text that reads back as the same double
  formats_.push_back(0);
  return *this;
}

Params& Params::add(std::string_view value) {
  values_.emplace_back(std::string(value));
  formats_.push_back(0);
  return *this;
}

Params& Params::add(const std::optional<std::string>& value) {
  values_.push_back(value);
  formats_.push_back(0);
  return *this;
}

Params& Params::add(const std::optional<std::int64_t>& value) {
  if (!value) return add_null();
  return add(*value);
}

Params& Params::add_null() {
  values_.emplace_back(std::nullopt);
  formats_.push_back(0);
  return *this;
}

Params& Params::add_bytes(std::span<const std::uint8_t> bytes) {
  values_.emplace_back(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  formats_.push_back(1);
  return *this;
}

std::vector<int> Params::lengths() const {
  std::vector<int> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(value ? static_cast<int>(value->size()) : 0);
  return out;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(value ? value->c_str() : nullptr);
  return out;
}

Result::Result(Result&& other) noexcept
    : result_(std::exchange(other.result_, nullptr)),
      row_(other.row_),
      column_indexes_(std::move(other.column_indexes_)) {}

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
    row_ = other.row_;
    column_indexes_ = std::move(other.column_indexes_);
  }
  return *this;
}

Result::~Result() { PQclear(result_); }

bool Result::next() {
  if (row_ + 1 >= rows()) return false;
  ++row_;
  return true;
}

int Result::rows() const { return result_ != nullptr ? PQntuples(result_) : 0; }

std::int64_t Result::affected() const { return result_ != nullptr ? parse_int64(PQcmdTuples(result_)) : 0; }

bool Result::is_null(int column) const { return PQgetisnull(result_, row_, column) != 0; }

std::vector<std::uint8_t> Result::bytes(int column) const {
  std::size_t length = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column)), &length);
  if (raw == nullptr) throw StoreError("PostgreSQL returned a BYTEA value that does not decode");
  std::vector<std::uint8_t> out(raw, raw + length);
  PQfreemem(raw);
  return out;
}

std::int64_t Result::int64(int column) const {
  return is_null(column) ? 0 : parse_int64(PQgetvalue(result_, row_, column));
}

double Result::real(int column) const {
  return is_null(column) ? 0.0 : std::strtod(PQgetvalue(result_, row_, column), nullptr);
}

std::string Result::text(int column) const {
  return std::string(PQgetvalue(result_, row_, column), static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::optional<std::string> Result::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Result::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::span<const int> Result::column_indexes(std::uint64_t key, std::span<const std::string> names) const {
  for (const auto& [known, indexes] : column_indexes_) {
    if (known == key) return indexes;
  }
  std::vector<int> indexes;
  for (const auto& name : names) {
    const int index = PQfnumber(result_, ("\"" + name + "\"").c_str());
    if (index < 0) throw StoreError("the query's result has no column " + name);
    indexes.push_back(index);
  }
  return column_indexes_.emplace_back(key, std::move(indexes)).second;
}

namespace {

// Bounds on waiting for a server that is out of reach, which libpq leaves
// unbounded by default; settings in the caller's conninfo come later and win.
PGconn* connect(const std::string& conninfo) {
  const char* const keys[] = {"connect_timeout", "tcp_user_timeout", "keepalives_idle", "keepalives_interval",
                              "keepalives_count", "application_name", "dbname", nullptr};
  const char* const values[] = {"5", "10000", "10", "5", "3", "apiota", conninfo.c_str(), nullptr};
  return PQconnectdbParams(keys, values, 1);
}

}  // namespace

Connection::Connection(const std::string& conninfo) : conn_(connect(conninfo)) {
  if (conn_ == nullptr) throw StoreError("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw StoreUnavailable(message);
  }
  // The server's notices ("... already exists, skipping") are not errors
  // and not for the operator: libpq would print them to stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::usable() const { return PQstatus(conn_) == CONNECTION_OK; }

void Connection::fail(const PGresult* result, std::string_view doing) const {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  const std::string message = fmt::format(
      "PostgreSQL {}: {}", doing, trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_)));
  if (!usable() || means_unavailable(sqlstate)) throw StoreUnavailable(message);
  if (sqlstate == "53100") throw StoreFull(message);
  throw PostgresError(message, sqlstate);
}

Result Connection::exec(const std::string& sql, const Params& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    // Appended piecewise: GCC 12 at -O3 misreports `"s" + string` (-Wrestrict).
    std::string name(1, 's');
    name += std::to_string(prepared_.size() + 1);
    Result prepared(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.result_) != PGRES_COMMAND_OK) fail(prepared.result_, "could not prepare a query");
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  const std::vector<const char*> values = params.pointers();
  const std::vector<int> lengths = params.lengths();
  Result result(PQexecPrepared(conn_, found->second.c_str(), params.size(), values.data(), lengths.data(),
                               params.formats().data(), 0));
  const ExecStatusType status = PQresultStatus(result.result_);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result.result_, "query failed");
  return result;
}

void Connection::exec_script(std::string_view sql) {
  Result result(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType status = PQresultStatus(result.result_);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result.result_, "statement failed");
}

Transaction::Transaction(Connection& conn, Isolation isolation) : conn_(conn) {
  conn_.exec_script(isolation == Isolation::Serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN");
}

Transaction::~Transaction() {
  if (done_ || !conn_.usable()) return;
  try {
    conn_.exec_script("ROLLBACK");
  } catch (const StoreError&) {
    // The connection failed meanwhile; the server ends the transaction itself.
  }
}

void Transaction::commit() {
  conn_.exec_script("COMMIT");
  done_ = true;
}

}  // namespace apiota::store::postgres
