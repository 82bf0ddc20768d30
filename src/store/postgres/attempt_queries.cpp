// OtaStore on PostgreSQL, its update-attempt half: starting, moving and
// ending attempts, and what rollout safety and auto-advance count from them.

#include "store/postgres/attempt_queries.h"

#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

std::vector<AttemptRecord> read_attempts(Result& r) {
  std::vector<AttemptRecord> out;
  while (r.next()) out.push_back(attempt_columns().read(r));
  return out;
}

// The device row an AttemptWrite is about: its open attempt's, or the new one's.
std::optional<std::int64_t> device_row_of(Connection& conn, const AttemptWrite& w) {
  if (w.start) return w.start->device_row_id;
  if (!w.open_id) return std::nullopt;
  Result r = conn.exec("SELECT device_row_id FROM update_attempts WHERE id = $1", Params().add(*w.open_id));
  return r.next() ? std::optional(r.int64(0)) : std::nullopt;
}

}  // namespace

void lock_device_row(Connection& conn, std::int64_t device_row_id) {
  conn.exec("SELECT 1 FROM devices WHERE row_id = $1 FOR UPDATE", Params().add(device_row_id));
}

bool apply_attempt_write_on(Connection& conn, const AttemptWrite& w) {
  bool changed = false;
  if (w.open_id && w.end_open) {
    changed = conn.exec("UPDATE update_attempts SET outcome = $1, ended_at = $2 WHERE id = $3 AND outcome = ''",
                        Params().add(*w.end_open).add(w.at).add(*w.open_id))
                  .affected() > 0;
  } else if (w.open_id && w.touch_status) {
    conn.exec("UPDATE update_attempts SET status = $1, status_at = $2 WHERE id = $3 AND outcome = ''",
              Params().add(*w.touch_status).add(w.at).add(*w.open_id));
  }
  if (!w.start) return changed;
  const AttemptRecord& a = *w.start;
  if (!a.outcome) {
    conn.exec("UPDATE update_attempts SET outcome = 'superseded', ended_at = $1 WHERE device_row_id = $2 AND outcome = ''",
              Params().add(w.at).add(a.device_row_id));
  }
  conn.exec(
      "INSERT INTO update_attempts (project_id, device_row_id, device_id, release_id, from_version, target_version, "
      "status, status_at, started_at, outcome, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      Params()
          .add(a.project_id)
          .add(a.device_row_id)
          .add(a.device_id)
          .add(a.release_id)
          .add(a.from_version)
          .add(a.target_version)
          .add(a.status)
          .add(a.status_at)
          .add(a.started_at)
          .add(stored_outcome(a.outcome))
          .add(a.ended_at));
  return true;
}

bool PostgresStore::apply_attempt_write(const AttemptWrite& write) {
  if (write.empty()) return false;
  return db_.write([&](Connection& conn) {
    if (auto row = device_row_of(conn, write)) lock_device_row(conn, *row);
    return apply_attempt_write_on(conn, write);
  });
}

std::vector<AttemptRecord> PostgresStore::device_attempts(std::string_view device_id, std::int64_t limit) {
  static const std::string sql = "SELECT " + attempt_columns().select_list("a") +
                                 " FROM devices d JOIN update_attempts a ON a.device_row_id = d.row_id "
                                 "WHERE d.device_id = $1 ORDER BY a.id DESC LIMIT $2";
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(sql, Params().add(device_id).add(limit));
    return read_attempts(r);
  });
}

std::vector<AttemptRecord> PostgresStore::stale_attempts(std::int64_t now) {
  static const std::string sql = "SELECT " + attempt_columns().select_list("a") +
                                 " FROM update_attempts a JOIN releases r ON r.id = a.release_id WHERE a.outcome = '' "
                                 "AND a.status IN ('downloading', 'verifying', 'flashing', 'rebooting') "
                                 "AND a.status_at < $1 - r.stuck_after_s * 1000 ORDER BY a.status_at";
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(sql, Params().add(now));
    return read_attempts(r);
  });
}

std::vector<domain::AttemptEnd> PostgresStore::recent_attempt_outcomes(std::int64_t release_id, std::int64_t since,
                                                                       std::int64_t limit) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT outcome FROM (SELECT outcome, ended_at, id FROM update_attempts WHERE release_id = $1 "
        "AND outcome NOT IN ('', 'superseded', 'revoked') AND ended_at >= $2 ORDER BY ended_at DESC, id DESC "
        "LIMIT $3) recent ORDER BY ended_at, id",
        Params().add(release_id).add(since).add(limit));
    std::vector<domain::AttemptEnd> out;
    std::optional<domain::AttemptEnd> outcome;
    while (r.next()) {
      read_column(r, 0, outcome);  // an unknown name reads as superseded: left out as well
      if (outcome && outcome != domain::AttemptEnd::Superseded) out.push_back(*outcome);
    }
    return out;
  });
}

std::int64_t PostgresStore::count_successes_since(std::int64_t release_id, std::int64_t since) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT COUNT(*) FROM update_attempts WHERE release_id = $1 AND outcome = 'succeeded' AND ended_at >= $2",
        Params().add(release_id).add(since));
    r.next();
    return r.int64(0);
  });
}

// From the trigger-kept release_attempt_counts: a few rows per release.
std::vector<ReleaseOutcomes> PostgresStore::release_outcomes(std::string_view project_id) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT c.release_id, SUM(c.n) FILTER (WHERE c.outcome = 'succeeded') AS installs, "
        "SUM(c.n) FILTER (WHERE c.outcome = 'failed') AS failures, "
        "SUM(c.n) FILTER (WHERE c.outcome = 'stuck') AS stuck, "
        "SUM(c.n) FILTER (WHERE c.outcome = 'rolled_back') AS rolled_back, "
        "SUM(c.n) FILTER (WHERE c.outcome = 'revoked') AS revoked "
        "FROM release_attempt_counts c JOIN releases r ON r.id = c.release_id "
        "WHERE r.project_id = $1 AND c.outcome <> '' AND c.n > 0 GROUP BY c.release_id ORDER BY c.release_id",
        Params().add(project_id));
    std::vector<ReleaseOutcomes> out;
    while (r.next()) out.push_back(release_outcomes_columns().read(r));
    return out;
  });
}

}  // namespace apiota::store::postgres
