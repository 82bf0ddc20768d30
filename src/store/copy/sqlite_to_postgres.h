#pragma once
// copy_sqlite_to_postgres: a SQLite store's tables copied into a PostgreSQL
// store and checked, for `apiota migrate` (docs/scale-out.md, "Moving from
// SQLite"). The firmware files are carried apart (service/firmware_files.h).

#include <cstdint>
#include <string>
#include <vector>

#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "store/store_error.h"

namespace apiota::store::copy {

// What one table holds on both sides after the copy: its rows and their
// digest (row_digest.h), equal in both stores or the copy did not happen.
struct TableReport {
  std::string table;
  std::int64_t rows = 0;
  std::string sha256;
  bool rebuilt = false;  // a counter table recounted on PostgreSQL, not copied
};

// The target cannot take the copy: it already holds apiota data, records
// another server key, or its tables have other columns than SQLite's.
class CopyRefused : public StoreError {
 public:
  using StoreError::StoreError;
};

// A table read back from PostgreSQL differs from SQLite's.
class CopyMismatch : public StoreError {
 public:
  using StoreError::StoreError;
};

// Copies every table of copied_tables() from `from` to `to` and rebuilds the
// counter tables (copied_tables.h). `from` is read in the transaction its
// caller began, so the copy is of one moment even while another process
// writes; `to` has the current schema (postgres/schema.h) and holds no
// project, key, device or any other copied row, and no other server key.
// Everything happens in one PostgreSQL transaction: the rows go in with the
// counting triggers off and the foreign keys checked at commit, the counters
// are recounted, the identity sequences moved past the copied ids, the
// cache generations moved (so nodes already running reload), and every
// table is read back and compared, by rows and digest, with SQLite's before
// the commit. Throws CopyRefused or CopyMismatch (naming the table), or
// StoreError; then nothing of the copy stays.
std::vector<TableReport> copy_sqlite_to_postgres(sqlite::Connection& from, postgres::Connection& to);

}  // namespace apiota::store::copy
