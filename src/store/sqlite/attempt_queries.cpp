// OtaStore on SQLite, its update-attempt half: starting, moving and ending
// attempts, and what rollout safety and auto-advance count from them.

#include "store/record_columns.h"
#include "store/sqlite/attempt_queries.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<ReleaseOutcomes>& kOutcomes = release_outcomes_columns();

}  // namespace

void apply_attempt_write_on(Connection& conn, const AttemptWrite& w, bool& changed) {
  if (w.open_id && w.end_open) {
    auto stmt = conn.prepare("UPDATE update_attempts SET outcome = ?, ended_at = ? WHERE id = ? AND outcome = ''");
    stmt.bind(1, *w.end_open).bind(2, w.at).bind(3, *w.open_id);
    stmt.run();
    changed = changed || conn.changes() > 0;
  } else if (w.open_id && w.touch_status) {
    auto stmt = conn.prepare("UPDATE update_attempts SET status = ?, status_at = ? WHERE id = ? AND outcome = ''");
    stmt.bind(1, *w.touch_status).bind(2, w.at).bind(3, *w.open_id);
    stmt.run();
  }
  if (!w.start) return;
  const AttemptRecord& a = *w.start;
  if (!a.outcome) {
    auto supersede = conn.prepare(
        "UPDATE update_attempts SET outcome = 'superseded', ended_at = ? WHERE device_row_id = ? AND outcome = ''");
    supersede.bind(1, w.at).bind(2, a.device_row_id);
    supersede.run();
  }
  auto insert = conn.prepare(
      "INSERT INTO update_attempts (project_id, device_row_id, device_id, release_id, from_version, target_version, "
      "status, status_at, started_at, outcome, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, a.project_id).bind(2, a.device_row_id).bind(3, a.device_id).bind(4, a.release_id);
  insert.bind(5, a.from_version).bind(6, a.target_version).bind(7, a.status).bind(8, a.status_at);
  insert.bind(9, a.started_at).bind(10, stored_outcome(a.outcome)).bind(11, a.ended_at);
  insert.run();
  changed = true;
}

bool SqliteStore::apply_attempt_write(const AttemptWrite& write) {
  if (write.empty()) return false;
  auto writer = db_.writer();
  Transaction tx(*writer);
  bool changed = false;
  apply_attempt_write_on(*writer, write, changed);
  tx.commit();
  return changed;
}

std::vector<AttemptRecord> SqliteStore::device_attempts(std::string_view device_id, std::int64_t limit) {
  static const std::string sql = "SELECT " + attempt_columns().select_list("a") +
                                 " FROM devices d JOIN update_attempts a ON a.device_row_id = d.row_id "
                                 "WHERE d.device_id = ? ORDER BY a.id DESC LIMIT ?";
  auto conn = db_.reader();
  auto stmt = conn->prepare(sql);
  stmt.bind(1, device_id).bind(2, limit);
  std::vector<AttemptRecord> out;
  while (stmt.step()) out.push_back(attempt_columns().read(stmt));
  return out;
}

std::vector<AttemptRecord> SqliteStore::stale_attempts(std::int64_t now) {
  static const std::string sql = "SELECT " + attempt_columns().select_list("a") +
                                 " FROM update_attempts a JOIN releases r ON r.id = a.release_id WHERE a.outcome = '' "
                                 "AND a.status IN ('downloading', 'verifying', 'flashing', 'rebooting') "
                                 "AND a.status_at < ? - r.stuck_after_s * 1000 ORDER BY a.status_at";
  auto conn = db_.reader();
  auto stmt = conn->prepare(sql);
  stmt.bind(1, now);
  std::vector<AttemptRecord> out;
  while (stmt.step()) out.push_back(attempt_columns().read(stmt));
  return out;
}

std::vector<domain::AttemptEnd> SqliteStore::recent_attempt_outcomes(std::int64_t release_id, std::int64_t since,
                                                                     std::int64_t limit) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT outcome FROM (SELECT outcome, ended_at, id FROM update_attempts WHERE release_id = ? "
      "AND outcome NOT IN ('', 'superseded', 'revoked') AND ended_at >= ? ORDER BY ended_at DESC, id DESC LIMIT ?) "
      "ORDER BY ended_at, id");
  stmt.bind(1, release_id).bind(2, since).bind(3, limit);
  std::vector<domain::AttemptEnd> out;
  std::optional<domain::AttemptEnd> outcome;
  while (stmt.step()) {
    read_column(stmt, 0, outcome);  // an unknown name reads as superseded: left out as well
    if (outcome && outcome != domain::AttemptEnd::Superseded) out.push_back(*outcome);
  }
  return out;
}

std::int64_t SqliteStore::count_successes_since(std::int64_t release_id, std::int64_t since) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT COUNT(*) FROM update_attempts WHERE release_id = ? AND outcome = 'succeeded' AND ended_at >= ?");
  stmt.bind(1, release_id).bind(2, since);
  stmt.step();
  return stmt.int64(0);
}

// From the trigger-kept release_attempt_counts (schema V12): a few rows per
// release, where counting update_attempts took seconds at a million devices.
std::vector<ReleaseOutcomes> SqliteStore::release_outcomes(std::string_view project_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT c.release_id, SUM(c.n * (c.outcome = 'succeeded')) AS installs, "
      "SUM(c.n * (c.outcome = 'failed')) AS failures, SUM(c.n * (c.outcome = 'stuck')) AS stuck, "
      "SUM(c.n * (c.outcome = 'rolled_back')) AS rolled_back, SUM(c.n * (c.outcome = 'revoked')) AS revoked "
      "FROM release_attempt_counts c JOIN releases r ON r.id = c.release_id "
      "WHERE r.project_id = ? AND c.outcome != '' AND c.n > 0 GROUP BY c.release_id ORDER BY c.release_id");
  stmt.bind(1, project_id);
  std::vector<ReleaseOutcomes> out;
  while (stmt.step()) out.push_back(kOutcomes.read(stmt));
  return out;
}

}  // namespace apiota::store::sqlite
