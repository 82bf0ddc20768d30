#pragma once
// What other aggregates' PostgreSQL queries share from the audit log's
// (audit_queries.cpp): an operator change and its audit line are written in
// one transaction.

#include "store/postgres/connection.h"
#include "store/records.h"

namespace apiota::store::postgres {

// Appends `audit` on `conn` (in the caller's transaction).
void insert_audit(Connection& conn, const AuditRecord& audit);

}  // namespace apiota::store::postgres
