#pragma once
// What other aggregates' queries share from the update attempts'
// (attempt_queries.cpp): applying an AttemptWrite inside a caller's
// transaction (an OTA report moves its attempt in the report's transaction).

#include "store/records.h"
#include "store/sqlite/connection.h"

namespace apiota::store::sqlite {

// Applies `write` on `conn` (in the caller's transaction); sets `changed`
// when it ended the open attempt or started one.
void apply_attempt_write_on(Connection& conn, const AttemptWrite& write, bool& changed);

}  // namespace apiota::store::sqlite
