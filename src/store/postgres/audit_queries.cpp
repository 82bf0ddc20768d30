// AuditStore on PostgreSQL: the audit log, read with the label of the key
// that made each entry.

#include "store/postgres/audit_queries.h"

#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

const RowMapping<AuditRecord> kActorLabel{column<&AuditRecord::actor_label>("actor_label")};

const std::string kSelectAudit = "SELECT " + audit_columns().select_list("l") +
                                 ", COALESCE(k.label, '') AS actor_label FROM audit_log l "
                                 "LEFT JOIN api_keys k ON k.id = l.actor WHERE l.project_id = $1";

std::vector<AuditRecord> read_entries(Result& r) {
  std::vector<AuditRecord> out;
  while (r.next()) {
    AuditRecord entry = audit_columns().read(r);
    kActorLabel.read(r, entry);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

void insert_audit(Connection& conn, const AuditRecord& a) {
  conn.exec(
      "INSERT INTO audit_log (project_id, actor, action, subject, before_json, after_json, at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      Params().add(a.project_id).add(a.actor).add(a.action).add(a.subject).add(a.before).add(a.after).add(a.at));
}

void PostgresStore::append_audit(const AuditRecord& audit) {
  db_.write([&](Connection& conn) { insert_audit(conn, audit); });
}

std::vector<AuditRecord> PostgresStore::list_audit(std::string_view project_id, std::int64_t limit) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(kSelectAudit + " ORDER BY l.id DESC LIMIT $2", Params().add(project_id).add(limit));
    return read_entries(r);
  });
}

std::vector<AuditRecord> PostgresStore::find_audit(const AuditQuery& q) {
  // Each filter that is set adds its condition; the SQL text names which are
  // set, so each combination is one prepared statement.
  std::string sql = kSelectAudit;
  Params params;
  params.add(q.project_id);
  auto condition = [&](std::string_view clause, const auto& value) {
    if (!value) return;
    params.add(*value);
    sql.append(clause).append("$").append(std::to_string(params.size()));
  };
  condition(" AND l.action = ", q.action);
  condition(" AND l.actor = ", q.actor);
  condition(" AND l.subject = ", q.subject);
  condition(" AND l.at >= ", q.since);
  condition(" AND l.at < ", q.until);
  condition(" AND l.id < ", q.before_id);
  params.add(q.limit);
  sql.append(" ORDER BY l.id DESC LIMIT $").append(std::to_string(params.size()));
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(sql, params);
    return read_entries(r);
  });
}

}  // namespace apiota::store::postgres
