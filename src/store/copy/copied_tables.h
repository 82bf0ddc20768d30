#pragma once
// What `apiota migrate` carries from a SQLite store to a PostgreSQL one
// (sqlite_to_postgres.h), table by table. Both schemas hold the same tables
// with the same columns (store/postgres/schema.h); the columns themselves
// are read from SQLite's catalog (table_shape()), so a column added to both
// is carried without a change here, and one added to only one of them stops
// the copy instead of being dropped.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/connection.h"

namespace apiota::store::copy {

// How a column's values are compared: SQLite's declared type affinity.
enum class ColumnKind { Integer, Real, Text };

struct Column {
  std::string name;
  ColumnKind kind;
};

// A table's stored columns (generated ones left out: each store computes
// them) and its primary key, the order its rows are read and compared in.
struct TableShape {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> key;
};

// A counter table PostgreSQL rebuilds from the copied rows instead of
// copying (its counting triggers are off while the rows go in), with the
// statement that fills it, so that it equals a recount by construction; the
// rebuilt rows are then compared with SQLite's.
struct RebuiltTable {
  std::string_view name;
  std::string_view recount_sql;
  // Whether SQLite keeps the same table, to compare with (PostgreSQL keeps
  // one more: its pair counts, schema.h).
  bool compared;
};

// The tables whose rows are copied as they are.
std::span<const std::string_view> copied_tables();
// The counter tables rebuilt on PostgreSQL, and the statement that recounts
// the copied projects' device_count.
std::span<const RebuiltTable> rebuilt_tables();
std::string_view device_count_recount_sql();
// SQLite's tables that are not carried: each store's own bookkeeping (the
// cache generations, store/cache_tracking.h).
std::span<const std::string_view> tables_left_behind();

// The shape of `table` in the SQLite database `conn` opens. Throws
// StoreError when it has no such table or no primary key.
TableShape table_shape(sqlite::Connection& conn, std::string_view table);

}  // namespace apiota::store::copy
