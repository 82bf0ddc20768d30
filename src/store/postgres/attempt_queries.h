#pragma once
// What other aggregates' PostgreSQL queries share from the update attempts'
// (attempt_queries.cpp): applying an AttemptWrite inside a caller's
// transaction (an OTA report moves its attempt in the report's transaction).

#include "store/postgres/connection.h"
#include "store/records.h"

namespace apiota::store::postgres {

// Locks the device's row until the transaction ends: the writes that move a
// device's attempts (its reports, a poll starting an attempt) take turns on
// it, on every node, as they do behind SQLite's single writer.
void lock_device_row(Connection& conn, std::int64_t device_row_id);

// Applies `write` on `conn` (in the caller's transaction, its device row
// locked); true when it ended the open attempt or started one.
bool apply_attempt_write_on(Connection& conn, const AttemptWrite& write);

}  // namespace apiota::store::postgres
