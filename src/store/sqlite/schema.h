#pragma once
// The SQLite schema and its migrations. migrate() brings a database of any
// older schema version (PRAGMA user_version) up to the current one inside one
// transaction, and refuses a database newer than this binary understands.

#include "store/sqlite/connection.h"

namespace apiota::store::sqlite {

inline constexpr int kSchemaVersion = 6;

void migrate(Connection& conn);

}  // namespace apiota::store::sqlite
