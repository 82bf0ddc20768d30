#pragma once
// What other aggregates' queries share from the update attempts'
// (attempt_queries.cpp): the attempt row mapping (a device is read with its
// open attempt) and applying an AttemptWrite inside a caller's transaction
// (an OTA report moves its attempt in the report's transaction).

#include "store/records.h"
#include "store/sqlite/connection.h"
#include "store/row_mapping.h"

namespace apiota::store::sqlite {

// Every column of update_attempts, by its own name.
const RowMapping<AttemptRecord>& attempt_mapping();

// Applies `write` on `conn` (in the caller's transaction); sets `changed`
// when it ended the open attempt or started one.
void apply_attempt_write_on(Connection& conn, const AttemptWrite& write, bool& changed);

}  // namespace apiota::store::sqlite
