#include "store/copy/sqlite_to_postgres.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "store/copy/copied_tables.h"
#include "store/copy/row_digest.h"

namespace apiota::store::copy {
namespace {

using Row = std::vector<std::optional<std::string>>;

// PostgreSQL takes at most 65535 parameters in one statement.
constexpr std::size_t kMaxParams = 60000;
constexpr std::size_t kMaxBatchRows = 1000;
constexpr int kFetchRows = 5000;

// Names come from SQLite's catalog of apiota's own schema; anything else is
// refused rather than quoted.
std::string quoted(std::string_view name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!plain) throw CopyRefused(fmt::format("unexpected table or column name in the SQLite store: {}", name));
  return fmt::format("\"{}\"", name);
}

std::string column_list(const TableShape& shape) {
  std::string out;
  for (const Column& c : shape.columns) out.append(out.empty() ? "" : ", ").append(quoted(c.name));
  return out;
}

const Column& column_named(const TableShape& shape, const std::string& name) {
  for (const Column& c : shape.columns) {
    if (c.name == name) return c;
  }
  throw CopyRefused(fmt::format("the key column {} of {} is not a stored column", name, shape.name));
}

// The key order, which is byte order for text in both stores.
std::string key_order(const TableShape& shape, bool postgres) {
  std::string out;
  for (const std::string& k : shape.key) {
    out.append(out.empty() ? "" : ", ").append(quoted(k));
    if (postgres && column_named(shape, k).kind == ColumnKind::Text) out += " COLLATE \"C\"";
  }
  return out;
}

// Reads `shape`'s rows from SQLite in key order, handing each to `sink` in
// canonical form.
template <class Sink>
void read_sqlite_rows(sqlite::Connection& from, const TableShape& shape, Sink&& sink) {
  auto rows = from.prepare(fmt::format("SELECT {} FROM {} ORDER BY {}", column_list(shape), quoted(shape.name),
                                       key_order(shape, false)));
  Row row(shape.columns.size());
  while (rows.step()) {
    for (std::size_t i = 0; i < shape.columns.size(); ++i) {
      const int c = static_cast<int>(i);
      if (rows.is_null(c)) {
        row[i].reset();
        continue;
      }
      switch (shape.columns[i].kind) {
        case ColumnKind::Integer: row[i] = std::to_string(rows.int64(c)); break;
        case ColumnKind::Real: row[i] = fmt::format("{}", rows.real(c)); break;
        case ColumnKind::Text: row[i] = rows.text(c); break;
      }
    }
    sink(row);
  }
}

RowDigest digest_sqlite(sqlite::Connection& from, const TableShape& shape) {
  RowDigest digest;
  read_sqlite_rows(from, shape, [&](const Row& row) {
    for (const auto& value : row) digest.add_value(value);
    digest.end_row();
  });
  return digest;
}

RowDigest digest_postgres(postgres::Connection& to, const TableShape& shape) {
  to.exec(fmt::format("DECLARE apiota_copy_check NO SCROLL CURSOR FOR SELECT {} FROM {} ORDER BY {}",
                      column_list(shape), quoted(shape.name), key_order(shape, true)));
  RowDigest digest;
  const std::string fetch = fmt::format("FETCH {} FROM apiota_copy_check", kFetchRows);
  for (;;) {
    postgres::Result rows = to.exec(fetch);
    if (rows.rows() == 0) break;
    while (rows.next()) {
      for (std::size_t i = 0; i < shape.columns.size(); ++i) {
        const int c = static_cast<int>(i);
        digest.add_value(rows.is_null(c) ? std::nullopt
                                         : std::optional(canonical_value(shape.columns[i].kind, rows.text(c))));
      }
      digest.end_row();
    }
  }
  to.exec("CLOSE apiota_copy_check");
  return digest;
}

void check_same_columns(postgres::Connection& to, const TableShape& shape) {
  postgres::Result stored = to.exec(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND table_name = $1 AND is_generated = 'NEVER'",
      postgres::Params().add(shape.name));
  std::vector<std::string> theirs;
  while (stored.next()) theirs.push_back(stored.text(0));
  std::vector<std::string> ours;
  for (const Column& c : shape.columns) ours.push_back(c.name);
  std::sort(theirs.begin(), theirs.end());
  std::sort(ours.begin(), ours.end());
  if (theirs != ours) {
    throw CopyRefused(fmt::format("the table {} has the columns ({}) in SQLite but ({}) in PostgreSQL", shape.name,
                                  fmt::join(ours, ", "), fmt::join(theirs, ", ")));
  }
}

// The target holds nothing a copy would add to. meta may already hold what
// SQLite's does (a node opened the database with this installation's key):
// those rows are taken out, to go in again with the rest.
void check_empty(sqlite::Connection& from, postgres::Connection& to) {
  for (std::string_view table : copied_tables()) {
    if (table == "meta") continue;
    postgres::Result any = to.exec(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", quoted(table)));
    any.next();
    if (any.text(0) == "t") {
      throw CopyRefused(fmt::format("the PostgreSQL database already holds apiota data (its table {} has rows); "
                                    "migrate into an empty database",
                                    table));
    }
  }
  auto meta = from.prepare("SELECT name, value FROM meta");
  while (meta.step()) {
    postgres::Result theirs = to.exec("SELECT value FROM meta WHERE name = $1", postgres::Params().add(meta.text(0)));
    if (!theirs.next()) continue;
    if (theirs.text(0) != meta.text(1)) {
      throw CopyRefused(fmt::format("the PostgreSQL database already records another {} than this data folder; "
                                    "migrate into an empty database",
                                    meta.text(0) == "server_key_fingerprint" ? "server key" : meta.text(0)));
    }
    to.exec("DELETE FROM meta WHERE name = $1", postgres::Params().add(meta.text(0)));
  }
}

std::string insert_sql(const TableShape& shape, std::size_t rows) {
  std::string values;
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    values += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < shape.columns.size(); ++c) values += fmt::format("{}${}", c == 0 ? "" : ", ", ++n);
    values += ")";
  }
  return fmt::format("INSERT INTO {} ({}) VALUES {}", quoted(shape.name), column_list(shape), values);
}

RowDigest copy_rows(sqlite::Connection& from, postgres::Connection& to, const TableShape& shape) {
  const std::size_t batch_rows = std::clamp<std::size_t>(kMaxParams / shape.columns.size(), 1, kMaxBatchRows);
  const std::string full_batch = insert_sql(shape, batch_rows);
  RowDigest digest;
  postgres::Params params;
  std::size_t pending = 0;
  auto flush = [&] {
    if (pending == 0) return;
    to.exec(pending == batch_rows ? full_batch : insert_sql(shape, pending), params);
    params = postgres::Params();
    pending = 0;
  };
  read_sqlite_rows(from, shape, [&](const Row& row) {
    for (const auto& value : row) {
      params.add(value);
      digest.add_value(value);
    }
    digest.end_row();
    if (++pending == batch_rows) flush();
  });
  flush();
  return digest;
}

void set_triggers(postgres::Connection& to, bool enabled) {
  for (std::string_view table : copied_tables()) {
    to.exec_script(fmt::format("ALTER TABLE {} {} TRIGGER USER", quoted(table), enabled ? "ENABLE" : "DISABLE"));
  }
}

// Each identity column's next value follows the largest id copied.
void move_identities(postgres::Connection& to) {
  postgres::Result identities = to.exec(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND is_identity = 'YES'");
  std::vector<std::pair<std::string, std::string>> columns;
  while (identities.next()) columns.emplace_back(identities.text(0), identities.text(1));
  for (const auto& [table, column] : columns) {
    to.exec(fmt::format("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({}), 0) + 1, false) FROM {}",
                        quoted(column), quoted(table)),
            postgres::Params().add(table).add(column));
  }
}

TableReport compare(std::string table, RowDigest source, RowDigest copy, bool rebuilt) {
  const std::int64_t source_rows = source.rows();
  const std::int64_t copy_rows = copy.rows();
  std::string source_sha = source.finish();
  if (source_rows != copy_rows || source_sha != copy.finish()) {
    throw CopyMismatch(fmt::format("the {} table read back from PostgreSQL ({} rows) differs from SQLite's ({} rows); "
                                   "nothing was copied",
                                   table, copy_rows, source_rows));
  }
  return {std::move(table), source_rows, std::move(source_sha), rebuilt};
}

}  // namespace

std::vector<TableReport> copy_sqlite_to_postgres(sqlite::Connection& from, postgres::Connection& to) {
  std::vector<TableShape> copied;
  for (std::string_view table : copied_tables()) copied.push_back(table_shape(from, table));
  std::vector<TableShape> rebuilt;
  for (const RebuiltTable& table : rebuilt_tables()) {
    if (table.compared) rebuilt.push_back(table_shape(from, table.name));
  }

  postgres::Transaction tx(to);
  to.exec_script("SET CONSTRAINTS ALL DEFERRED");
  for (const TableShape& shape : copied) check_same_columns(to, shape);
  for (const TableShape& shape : rebuilt) check_same_columns(to, shape);
  check_empty(from, to);

  set_triggers(to, false);
  std::map<std::string, RowDigest> sources;
  for (const TableShape& shape : copied) sources.emplace(shape.name, copy_rows(from, to, shape));
  to.exec_script(device_count_recount_sql());
  for (const RebuiltTable& table : rebuilt_tables()) to.exec_script(table.recount_sql);
  // Every row is in: the references are checked now, and no check left
  // pending stops the triggers from coming back.
  to.exec_script("SET CONSTRAINTS ALL IMMEDIATE");
  set_triggers(to, true);
  move_identities(to);
  to.exec_script(
      "UPDATE cache_generation SET value = value + 1;"
      "SELECT pg_notify('apiota_cache', 'catalog'), pg_notify('apiota_cache', 'devices')");

  // projects is read back after the recount: its device_count is checked
  // against the count SQLite kept.
  std::vector<TableReport> report;
  for (const TableShape& shape : copied) {
    report.push_back(compare(shape.name, std::move(sources.at(shape.name)), digest_postgres(to, shape), false));
  }
  for (const TableShape& shape : rebuilt) {
    report.push_back(compare(shape.name, digest_sqlite(from, shape), digest_postgres(to, shape), true));
  }
  tx.commit();
  return report;
}

}  // namespace apiota::store::copy
