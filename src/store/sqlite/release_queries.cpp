// ReleaseStore on SQLite: what was uploaded, and what operators change
// afterwards, written with its audit line.

#include "store/record_columns.h"
#include "store/sqlite/audit_queries.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<ReleaseRecord>& kRelease = release_columns();

const std::string kSelectReleases = "SELECT " + kRelease.select_list() + " FROM releases ";
const std::string kListReleases = kSelectReleases + "WHERE project_id = ? ORDER BY id DESC";
const std::string kFindReleaseByFilename = kSelectReleases + "WHERE filename = ?";
const std::string kFindRelease = kSelectReleases + "WHERE project_id = ? AND id = ?";

// The operator-managed fields of release r.id.
void write_release_fields(Connection& conn, const ReleaseRecord& r) {
  auto stmt = conn.prepare(
      "UPDATE releases SET state = ?, state_reason = ?, notes = ?, rollout_percent = ?, rollback_target_id = ?, "
      "rollout_tags = ?, rollout_devices = ?, max_failure_rate = ?, safety_window = ?, min_attempts = ?, "
      "stuck_after_s = ?, rollout_stages = ?, stage_index = ?, stage_started_at = ?, safety_since = ? "
      "WHERE project_id = ? AND id = ?");
  stmt.bind(1, domain::to_string(r.state)).bind(2, r.state_reason).bind(3, r.notes).bind(4, r.rollout_percent);
  stmt.bind(5, r.rollback_target_id).bind(6, stored_list(r.rollout_tags)).bind(7, stored_list(r.rollout_devices));
  stmt.bind(8, r.max_failure_rate).bind(9, r.safety_window).bind(10, r.min_attempts).bind(11, r.stuck_after_s);
  stmt.bind(12, stored_stages(r.rollout_stages)).bind(13, r.stage_index).bind(14, r.stage_started_at);
  stmt.bind(15, r.safety_since).bind(16, r.project_id).bind(17, r.id);
  stmt.run();
}

}  // namespace

bool SqliteStore::insert_release(ReleaseRecord& r, const AuditOfInsert& audit_of) {
  auto writer = db_.writer();
  Transaction tx(*writer);
  {
    auto exists = writer->prepare("SELECT 1 FROM releases WHERE project_id = ? AND version = ? AND channel = ?");
    exists.bind(1, r.project_id).bind(2, r.version).bind(3, r.channel);
    if (exists.step()) return false;
  }
  {
    auto stmt = writer->prepare(
        "INSERT INTO releases (project_id, version, channel, filename, size, sha256, md5, chip, chip_id, "
        "image_project_name, image_version, secure_version, idf_version, signature, appended_sha256, elf_sha256, "
        "uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, r.project_id).bind(2, r.version).bind(3, r.channel).bind(4, r.filename).bind(5, r.size);
    stmt.bind(6, r.sha256).bind(7, r.md5).bind(8, r.chip).bind(9, r.chip_id).bind(10, r.image_project_name);
    stmt.bind(11, r.image_version).bind(12, r.secure_version).bind(13, r.idf_version).bind(14, r.signature);
    stmt.bind(15, r.appended_sha256).bind(16, r.elf_sha256).bind(17, r.uploaded_by).bind(18, r.uploaded_at);
    stmt.run();
  }
  r.id = writer->last_insert_rowid();
  write_release_fields(*writer, r);
  insert_audit(*writer, audit_of(r));
  tx.commit();
  return true;
}

std::vector<ReleaseRecord> SqliteStore::list_releases(std::string_view project_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kListReleases);
  stmt.bind(1, project_id);
  std::vector<ReleaseRecord> out;
  while (stmt.step()) out.push_back(kRelease.read(stmt));
  return out;
}

std::optional<ReleaseRecord> SqliteStore::find_release_by_filename(std::string_view filename) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kFindReleaseByFilename);
  stmt.bind(1, filename);
  if (!stmt.step()) return std::nullopt;
  return kRelease.read(stmt);
}

std::optional<ReleaseRecord> SqliteStore::find_release(std::string_view project_id, std::int64_t id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kFindRelease);
  stmt.bind(1, project_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return kRelease.read(stmt);
}

bool SqliteStore::update_release(const ReleaseRecord& r, const AuditRecord& audit) {
  auto writer = db_.writer();
  Transaction tx(*writer);
  write_release_fields(*writer, r);
  if (writer->changes() == 0) return false;
  if (r.state == domain::ReleaseState::Revoked) {
    auto stmt = writer->prepare(
        "UPDATE update_attempts SET outcome = 'revoked', ended_at = ? WHERE release_id = ? AND outcome = ''");
    stmt.bind(1, audit.at).bind(2, r.id);
    stmt.run();
  }
  insert_audit(*writer, audit);
  tx.commit();
  return true;
}

ReleaseStore::DeleteOutcome SqliteStore::delete_release(std::string_view project_id, std::int64_t id,
                                                        const AuditRecord& audit) {
  auto writer = db_.writer();
  Transaction tx(*writer);
  {
    auto in_use = writer->prepare(
        "SELECT (SELECT COALESCE(SUM(c.n), 0) FROM device_version_counts c WHERE c.project_id = r.project_id "
        "AND c.known = 1 AND c.version = r.version) "
        "+ (SELECT COUNT(*) FROM releases t WHERE t.rollback_target_id = r.id) "
        "+ (SELECT COUNT(*) FROM update_attempts a WHERE a.release_id = r.id AND a.outcome = '') "
        "FROM releases r WHERE r.project_id = ? AND r.id = ?");
    in_use.bind(1, project_id).bind(2, id);
    if (!in_use.step()) return DeleteOutcome::NotFound;
    if (in_use.int64(0) > 0) return DeleteOutcome::InUse;
  }
  {
    auto stmt = writer->prepare("DELETE FROM releases WHERE project_id = ? AND id = ?");
    stmt.bind(1, project_id).bind(2, id);
    stmt.run();
  }
  {
    auto stmt = writer->prepare("DELETE FROM update_attempts WHERE release_id = ?");
    stmt.bind(1, id);
    stmt.run();
  }
  insert_audit(*writer, audit);
  tx.commit();
  return DeleteOutcome::Deleted;
}

std::vector<std::string> SqliteStore::referenced_sha256s() {
  auto conn = db_.reader();
  auto stmt = conn->prepare("SELECT DISTINCT sha256 FROM releases");
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

}  // namespace apiota::store::sqlite
