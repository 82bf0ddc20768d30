// ReleaseStore on PostgreSQL: what was uploaded, and what operators change
// afterwards, written with its audit line.

#include "store/postgres/audit_queries.h"
#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

const std::string kSelectReleases = "SELECT " + release_columns().select_list() + " FROM releases ";

// The operator-managed fields of release r.id; how many rows it changed.
std::int64_t write_release_fields(Connection& conn, const ReleaseRecord& r) {
  return conn
      .exec(
          "UPDATE releases SET state = $1, state_reason = $2, notes = $3, rollout_percent = $4, "
          "rollback_target_id = $5, rollout_tags = $6, rollout_devices = $7, max_failure_rate = $8, "
          "safety_window = $9, min_attempts = $10, stuck_after_s = $11, rollout_stages = $12, stage_index = $13, "
          "stage_started_at = $14, safety_since = $15 WHERE project_id = $16 AND id = $17",
          Params()
              .add(domain::to_string(r.state))
              .add(r.state_reason)
              .add(r.notes)
              .add(r.rollout_percent)
              .add(r.rollback_target_id)
              .add(stored_list(r.rollout_tags))
              .add(stored_list(r.rollout_devices))
              .add(r.max_failure_rate)
              .add(r.safety_window)
              .add(r.min_attempts)
              .add(r.stuck_after_s)
              .add(stored_stages(r.rollout_stages))
              .add(r.stage_index)
              .add(r.stage_started_at)
              .add(r.safety_since)
              .add(r.project_id)
              .add(r.id))
      .affected();
}

std::vector<ReleaseRecord> read_releases(Result& r) {
  std::vector<ReleaseRecord> out;
  while (r.next()) out.push_back(release_columns().read(r));
  return out;
}

}  // namespace

bool PostgresStore::insert_release(ReleaseRecord& r, const AuditOfInsert& audit_of) {
  const std::optional<std::int64_t> id = db_.write(
      [&](Connection& conn) -> std::optional<std::int64_t> {
        Result inserted = conn.exec(
            "INSERT INTO releases (project_id, version, channel, filename, size, sha256, md5, chip, chip_id, "
            "image_project_name, image_version, secure_version, idf_version, signature, appended_sha256, elf_sha256, "
            "uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
            "$17, $18) ON CONFLICT (project_id, version, channel) DO NOTHING RETURNING id",
            Params()
                .add(r.project_id)
                .add(r.version)
                .add(r.channel)
                .add(r.filename)
                .add(r.size)
                .add(r.sha256)
                .add(r.md5)
                .add(r.chip)
                .add(r.chip_id)
                .add(r.image_project_name)
                .add(r.image_version)
                .add(r.secure_version)
                .add(r.idf_version)
                .add(r.signature)
                .add(r.appended_sha256)
                .add(r.elf_sha256)
                .add(r.uploaded_by)
                .add(r.uploaded_at));
        if (!inserted.next()) return std::nullopt;
        ReleaseRecord stored = r;
        stored.id = inserted.int64(0);
        write_release_fields(conn, stored);
        insert_audit(conn, audit_of(stored));
        return stored.id;
      },
      Database::Caches::MayChange);
  if (!id) return false;
  r.id = *id;
  return true;
}

std::vector<ReleaseRecord> PostgresStore::list_releases(std::string_view project_id) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(kSelectReleases + "WHERE project_id = $1 ORDER BY id DESC", Params().add(project_id));
    return read_releases(r);
  });
}

std::optional<ReleaseRecord> PostgresStore::find_release_by_filename(std::string_view filename) {
  return db_.read([&](Connection& conn) -> std::optional<ReleaseRecord> {
    Result r = conn.exec(kSelectReleases + "WHERE filename = $1", Params().add(filename));
    if (!r.next()) return std::nullopt;
    return release_columns().read(r);
  });
}

std::optional<ReleaseRecord> PostgresStore::find_release(std::string_view project_id, std::int64_t id) {
  return db_.read([&](Connection& conn) -> std::optional<ReleaseRecord> {
    Result r = conn.exec(kSelectReleases + "WHERE project_id = $1 AND id = $2", Params().add(project_id).add(id));
    if (!r.next()) return std::nullopt;
    return release_columns().read(r);
  });
}

bool PostgresStore::update_release(const ReleaseRecord& r, const AuditRecord& audit) {
  return db_.write(
      [&](Connection& conn) {
        if (write_release_fields(conn, r) == 0) return false;
        if (r.state == domain::ReleaseState::Revoked) {
          conn.exec("UPDATE update_attempts SET outcome = 'revoked', ended_at = $1 WHERE release_id = $2 AND outcome = ''",
                    Params().add(audit.at).add(r.id));
        }
        insert_audit(conn, audit);
        return true;
      },
      Database::Caches::MayChange);
}

// SERIALIZABLE: whether the release is in use is read from several tables
// that devices change meanwhile (a device reporting the version, an attempt
// starting); a delete that raced one of them is undone and tried again.
ReleaseStore::DeleteOutcome PostgresStore::delete_release(std::string_view project_id, std::int64_t id,
                                                          const AuditRecord& audit) {
  return db_.write(
      [&](Connection& conn) {
        Result in_use = conn.exec(
            "SELECT (SELECT COALESCE(SUM(c.n), 0) FROM device_version_counts c WHERE c.project_id = r.project_id "
            "AND c.known = 1 AND c.version = r.version) "
            "+ (SELECT COUNT(*) FROM releases t WHERE t.rollback_target_id = r.id) "
            "+ (SELECT COUNT(*) FROM update_attempts a WHERE a.release_id = r.id AND a.outcome = '') "
            "FROM releases r WHERE r.project_id = $1 AND r.id = $2",
            Params().add(project_id).add(id));
        if (!in_use.next()) return DeleteOutcome::NotFound;
        if (in_use.int64(0) > 0) return DeleteOutcome::InUse;
        conn.exec("DELETE FROM update_attempts WHERE release_id = $1", Params().add(id));
        conn.exec("DELETE FROM releases WHERE project_id = $1 AND id = $2", Params().add(project_id).add(id));
        insert_audit(conn, audit);
        return DeleteOutcome::Deleted;
      },
      Database::Caches::MayChange, Transaction::Isolation::Serializable);
}

std::vector<std::string> PostgresStore::referenced_sha256s() {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec("SELECT DISTINCT sha256 FROM releases");
    std::vector<std::string> out;
    while (r.next()) out.push_back(r.text(0));
    return out;
  });
}

}  // namespace apiota::store::postgres
