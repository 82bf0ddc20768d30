#pragma once
// The PostgreSQL schema of apiota and its versioned migrations. Each
// migration is one SQL script with a version and a one-line description; the
// schema_migrations table records the ones a database has. migrate() applies
// the missing ones in one transaction, under an advisory lock, so nodes that
// start together migrate once and the others wait and find it done. The
// schema holds the same tables as SQLite's (store/sqlite/schema.cpp, at its
// version 14) with the same names, so both stores' queries read alike; text
// that is sorted or compared uses the "C" collation (byte order, as SQLite).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "store/postgres/connection.h"

namespace apiota::store::postgres {

struct Migration {
  std::int64_t version;
  std::string_view description;
  std::string_view sql;
};

// Every migration this binary knows, oldest first.
std::span<const Migration> migrations();

// The newest version migrations() reaches.
std::int64_t latest_schema_version();

// The migrations the database lacks, oldest first. Throws StoreOpenError
// when it holds a version newer than this binary's.
std::vector<Migration> pending_migrations(Connection& conn);

// Applies pending_migrations() in one transaction. Throws as it does, and
// StoreError (the migration's version in the message) when one fails; then
// nothing of any of them stays.
void migrate(Connection& conn);

}  // namespace apiota::store::postgres
