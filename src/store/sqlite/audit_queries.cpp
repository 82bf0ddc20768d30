// AuditStore on SQLite: the audit log, read with the label of the key that
// made each entry.

#include "store/sqlite/audit_queries.h"

#include "store/sqlite/row_mapping.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<AuditRecord> kAudit{
    column<&AuditRecord::id>("id"),
    column<&AuditRecord::project_id>("project_id"),
    column<&AuditRecord::actor>("actor"),
    column<&AuditRecord::action>("action"),
    column<&AuditRecord::subject>("subject"),
    column<&AuditRecord::before>("before_json"),
    column<&AuditRecord::after>("after_json"),
    column<&AuditRecord::at>("at"),
};

const RowMapping<AuditRecord> kActorLabel{column<&AuditRecord::actor_label>("actor_label")};

const std::string kListAudit = "SELECT " + kAudit.select_list("l") +
                               ", COALESCE(k.label, '') AS actor_label FROM audit_log l "
                               "LEFT JOIN api_keys k ON k.id = l.actor WHERE l.project_id = ? ORDER BY l.id DESC LIMIT ?";

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
  std::vector<AuditRecord> out;
  while (stmt.step()) {
    AuditRecord entry = kAudit.read(stmt);
    kActorLabel.read(stmt, entry);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace apiota::store::sqlite
