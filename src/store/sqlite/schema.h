#pragma once
// The SQLite schema and its migrations. migrate() brings a database of any
// older schema version (PRAGMA user_version) up to the current one inside one
// transaction, and refuses a database newer than this binary understands.
// schema_version() reads the version (0: no apiota schema yet).

#include "store/sqlite/connection.h"

namespace apiota::store::sqlite {

inline constexpr int kSchemaVersion = 14;

void migrate(Connection& conn);
std::int64_t schema_version(Connection& conn);

}  // namespace apiota::store::sqlite
