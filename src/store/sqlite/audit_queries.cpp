// AuditStore on SQLite: the audit log, read with the label of the key that
// made each entry.

#include "store/record_columns.h"
#include "store/sqlite/audit_queries.h"

#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<AuditRecord>& kAudit = audit_columns();

const RowMapping<AuditRecord> kActorLabel{column<&AuditRecord::actor_label>("actor_label")};

const std::string kSelectAudit = "SELECT " + kAudit.select_list("l") +
                                 ", COALESCE(k.label, '') AS actor_label FROM audit_log l "
                                 "LEFT JOIN api_keys k ON k.id = l.actor WHERE l.project_id = ?";
const std::string kListAudit = kSelectAudit + " ORDER BY l.id DESC LIMIT ?";

std::vector<AuditRecord> read_entries(Statement& stmt) {
  std::vector<AuditRecord> out;
  while (stmt.step()) {
    AuditRecord entry = kAudit.read(stmt);
    kActorLabel.read(stmt, entry);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

void insert_audit(Connection& conn, const AuditRecord& a) {
  auto stmt = conn.prepare(
      "INSERT INTO audit_log (project_id, actor, action, subject, before_json, after_json, at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  stmt.bind(1, a.project_id).bind(2, a.actor).bind(3, a.action).bind(4, a.subject).bind(5, a.before);
  stmt.bind(6, a.after).bind(7, a.at);
  stmt.run();
}

void SqliteStore::append_audit(const AuditRecord& audit) {
  auto writer = db_.writer();
  insert_audit(*writer, audit);
}

std::vector<AuditRecord> SqliteStore::list_audit(std::string_view project_id, std::int64_t limit) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kListAudit);
  stmt.bind(1, project_id).bind(2, limit);
  return read_entries(stmt);
}

std::vector<AuditRecord> SqliteStore::find_audit(const AuditQuery& q) {
  // Each filter that is set adds its condition; the SQL text names which are
  // set, so each combination is one cached statement.
  std::string sql = kSelectAudit;
  if (q.action) sql += " AND l.action = ?";
  if (q.actor) sql += " AND l.actor = ?";
  if (q.subject) sql += " AND l.subject = ?";
  if (q.since) sql += " AND l.at >= ?";
  if (q.until) sql += " AND l.at < ?";
  if (q.before_id) sql += " AND l.id < ?";
  sql += " ORDER BY l.id DESC LIMIT ?";
  auto conn = db_.reader();
  auto stmt = conn->prepare(sql);
  int index = 1;
  stmt.bind(index++, q.project_id);
  for (const auto* text : {&q.action, &q.actor, &q.subject}) {
    if (*text) stmt.bind(index++, **text);
  }
  for (const auto* number : {&q.since, &q.until, &q.before_id}) {
    if (*number) stmt.bind(index++, **number);
  }
  stmt.bind(index, q.limit);
  return read_entries(stmt);
}

}  // namespace apiota::store::sqlite
