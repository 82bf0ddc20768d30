// FleetStatsStore on PostgreSQL: the counts of the console's overview and of
// a release's progress, from the same trigger-kept counter tables and
// indexes as SQLite's (store/sqlite/fleet_stats_queries.cpp says which
// query reads what).

#include <string>

#include "store/column_values.h"
#include "store/postgres/postgres_store.h"

namespace apiota::store::postgres {
namespace {

// The audience of a release: the project's unblocked devices on one of
// `channels`, and with one of `tags` when any are given.
struct Audience {
  std::string sql;  // after SELECT ... FROM
  Params params;
};

Audience audience(std::string_view what, std::string_view project_id, std::span<const domain::Channel> channels,
                  std::span<const std::string> tags) {
  Audience a;
  a.params.add(project_id);
  std::vector<std::string> channel_names;
  for (const domain::Channel channel : channels) channel_names.emplace_back(domain::to_string(channel));
  a.params.add(stored_list(channel_names));
  a.sql = "SELECT " + std::string(what) +
          " FROM devices WHERE project_id = $1 AND blocked = 0 AND channel = ANY(string_to_array($2, ','))";
  if (!tags.empty()) {
    a.params.add(stored_list(std::vector<std::string>(tags.begin(), tags.end())));
    a.sql += " AND device_id IN (SELECT t.device_id FROM device_tags t WHERE t.project_id = $1 "
             "AND t.tag = ANY(string_to_array($3, ',')))";
  }
  return a;
}

}  // namespace

FleetCounts PostgresStore::fleet_counts(std::string_view project_id, std::int64_t seen_since_hour,
                                        std::int64_t seen_since_day) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT (SELECT device_count FROM projects WHERE id = $1), "
        "(SELECT COUNT(*) FROM devices WHERE project_id = $1 AND last_seen_key >= $2), "
        "(SELECT COUNT(*) FROM devices WHERE project_id = $1 AND last_seen_key >= $3), "
        "(SELECT COUNT(*) FROM devices WHERE project_id = $1 AND last_seen_key = -1), "
        "(SELECT COUNT(*) FROM devices WHERE project_id = $1 AND blocked = 1)",
        Params().add(project_id).add(seen_since_hour).add(seen_since_day));
    FleetCounts out;
    if (!r.next()) return out;
    out.total = r.optional_int64(0).value_or(0);
    out.seen_since_hour = r.int64(1);
    out.seen_since_day = r.int64(2);
    out.never_seen = r.int64(3);
    out.blocked = r.int64(4);
    return out;
  });
}

std::vector<VersionCount> PostgresStore::version_counts(std::string_view project_id) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT channel, CASE WHEN known = 1 THEN version END, n FROM device_version_counts "
        "WHERE project_id = $1 AND n > 0 ORDER BY channel, known, version",
        Params().add(project_id));
    std::vector<VersionCount> out;
    while (r.next()) {
      VersionCount row;
      read_column(r, 0, row.channel);
      row.version = r.optional_text(1);
      row.devices = r.int64(2);
      out.push_back(std::move(row));
    }
    return out;
  });
}

std::vector<OutcomeCount> PostgresStore::outcome_counts(std::string_view project_id, std::int64_t since,
                                                        std::int64_t bucket_ms) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT (hour_start / $2) * $2 AS bucket, outcome, SUM(n) FROM attempt_outcome_hours "
        "WHERE project_id = $1 AND hour_start >= $3 GROUP BY bucket, outcome ORDER BY bucket, outcome",
        Params().add(project_id).add(bucket_ms).add(since));
    std::vector<OutcomeCount> out;
    std::optional<domain::AttemptEnd> outcome;
    while (r.next()) {
      read_column(r, 1, outcome);
      if (!outcome) continue;
      out.push_back(OutcomeCount{r.int64(0), *outcome, r.int64(2)});
    }
    return out;
  });
}

AttemptCounts PostgresStore::attempt_counts(std::int64_t release_id) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT COALESCE((SELECT n FROM release_offered_devices WHERE release_id = $1), 0), "
        "COALESCE(SUM(n) FILTER (WHERE outcome = ''), 0), COALESCE(SUM(n) FILTER (WHERE outcome = 'succeeded'), 0), "
        "COALESCE(SUM(n) FILTER (WHERE outcome = 'failed'), 0), COALESCE(SUM(n) FILTER (WHERE outcome = 'stuck'), 0), "
        "COALESCE(SUM(n) FILTER (WHERE outcome = 'rolled_back'), 0) "
        "FROM release_attempt_counts WHERE release_id = $1",
        Params().add(release_id));
    AttemptCounts out;
    if (!r.next()) return out;
    out.devices = r.int64(0);
    out.open = r.int64(1);
    out.succeeded = r.int64(2);
    out.failed = r.int64(3);
    out.stuck = r.int64(4);
    out.rolled_back = r.int64(5);
    return out;
  });
}

bool PostgresStore::has_open_attempt(std::int64_t release_id) {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(
        "SELECT EXISTS (SELECT 1 FROM update_attempts WHERE release_id = $1 AND ended_at IS NULL AND outcome = '')",
        Params().add(release_id));
    return r.next() && r.text(0) == "t";
  });
}

void PostgresStore::for_each_unblocked_device(std::string_view project_id, std::span<const domain::Channel> channels,
                                              std::span<const std::string> tags,
                                              const std::function<void(std::string_view device_id)>& visit) {
  if (channels.empty()) return;
  const Audience a = audience("device_id", project_id, channels, tags);
  // One result in memory: the device ids of one release's audience.
  Result r = db_.read([&](Connection& conn) { return conn.exec(a.sql, a.params); });
  while (r.next()) visit(r.text(0));
}

std::int64_t PostgresStore::count_unblocked_devices(std::string_view project_id,
                                                    std::span<const domain::Channel> channels,
                                                    std::span<const std::string> tags) {
  if (channels.empty()) return 0;
  const Audience a = audience("COUNT(*)", project_id, channels, tags);
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(a.sql, a.params);
    return r.next() ? r.int64(0) : 0;
  });
}

}  // namespace apiota::store::postgres
