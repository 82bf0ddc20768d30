#pragma once
// What other aggregates' queries share from the audit's (audit_queries.cpp):
// appending an audit line inside a caller's transaction, so an operator
// change and its audit line commit together.

#include "store/records.h"
#include "store/sqlite/connection.h"

namespace apiota::store::sqlite {

void insert_audit(Connection& conn, const AuditRecord& audit);

}  // namespace apiota::store::sqlite
