// FleetStatsStore on SQLite: the counts of the console's overview and of a
// release's progress. Versions, outcomes and a release's attempt counts are
// read from counter tables kept by triggers (kSchemaV12, schema.cpp); the
// other counts are index ranges (kSchemaV9, kSchemaV10). The comment above
// each query names what it reads.

#include <string>

#include "store/column_values.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

// "(?,?,?)" for `count` placeholders (count >= 1), numbered from `first`.
std::string placeholders(std::size_t first, std::size_t count) {
  std::string out = "(";
  for (std::size_t i = 0; i < count; ++i) out += (i ? ",?" : "?") + std::to_string(first + i);
  return out + ")";
}

}  // namespace

// devices_by_last_seen (project_id, last_seen_key, device_id; schema V9:
// last_seen_key is last_seen_at, -1 when never seen) for the seen and never-seen
// counts, devices_blocked (blocked devices only; schema V14) for blocked, and
// the project's trigger-kept device_count for the total.
FleetCounts SqliteStore::fleet_counts(std::string_view project_id, std::int64_t seen_since_hour,
                                      std::int64_t seen_since_day) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT (SELECT device_count FROM projects WHERE id = ?1), "
      "(SELECT COUNT(*) FROM devices WHERE project_id = ?1 AND last_seen_key >= ?2), "
      "(SELECT COUNT(*) FROM devices WHERE project_id = ?1 AND last_seen_key >= ?3), "
      "(SELECT COUNT(*) FROM devices WHERE project_id = ?1 AND last_seen_key = -1), "
      "(SELECT COUNT(*) FROM devices WHERE project_id = ?1 AND blocked = 1)");
  stmt.bind(1, project_id).bind(2, seen_since_hour).bind(3, seen_since_day);
  FleetCounts out;
  if (!stmt.step()) return out;
  out.total = stmt.optional_int64(0).value_or(0);
  out.seen_since_hour = stmt.int64(1);
  out.seen_since_day = stmt.int64(2);
  out.never_seen = stmt.int64(3);
  out.blocked = stmt.int64(4);
  return out;
}

// device_version_counts: one row per (channel, version) in use.
std::vector<VersionCount> SqliteStore::version_counts(std::string_view project_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT channel, CASE WHEN known THEN version END, n FROM device_version_counts "
      "WHERE project_id = ? AND n > 0 ORDER BY channel, known, version");
  stmt.bind(1, project_id);
  std::vector<VersionCount> out;
  while (stmt.step()) {
    VersionCount row;
    read_column(stmt, 0, row.channel);
    row.version = stmt.optional_text(1);
    row.devices = stmt.int64(2);
    out.push_back(std::move(row));
  }
  return out;
}

// attempt_outcome_hours: one row per hour and outcome in the range, summed
// into buckets of `bucket_ms` (a multiple of an hour).
std::vector<OutcomeCount> SqliteStore::outcome_counts(std::string_view project_id, std::int64_t since,
                                                      std::int64_t bucket_ms) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT (hour_start / ?2) * ?2 AS bucket, outcome, SUM(n) FROM attempt_outcome_hours "
      "WHERE project_id = ?1 AND hour_start >= ?3 GROUP BY bucket, outcome ORDER BY bucket");
  stmt.bind(1, project_id).bind(2, bucket_ms).bind(3, since);
  std::vector<OutcomeCount> out;
  std::optional<domain::AttemptEnd> outcome;
  while (stmt.step()) {
    read_column(stmt, 1, outcome);
    if (!outcome) continue;
    out.push_back(OutcomeCount{stmt.int64(0), *outcome, stmt.int64(2)});
  }
  return out;
}

// release_offered_devices and release_attempt_counts: at most seven rows.
AttemptCounts SqliteStore::attempt_counts(std::int64_t release_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT COALESCE((SELECT n FROM release_offered_devices WHERE release_id = ?1), 0), "
      "COALESCE(SUM(n) FILTER (WHERE outcome = ''), 0), COALESCE(SUM(n) FILTER (WHERE outcome = 'succeeded'), 0), "
      "COALESCE(SUM(n) FILTER (WHERE outcome = 'failed'), 0), COALESCE(SUM(n) FILTER (WHERE outcome = 'stuck'), 0), "
      "COALESCE(SUM(n) FILTER (WHERE outcome = 'rolled_back'), 0) "
      "FROM release_attempt_counts WHERE release_id = ?1");
  stmt.bind(1, release_id);
  AttemptCounts out;
  if (!stmt.step()) return out;
  out.devices = stmt.int64(0);
  out.open = stmt.int64(1);
  out.succeeded = stmt.int64(2);
  out.failed = stmt.int64(3);
  out.stuck = stmt.int64(4);
  out.rolled_back = stmt.int64(5);
  return out;
}

// update_attempts_by_release (release_id, ended_at): open attempts have no
// ended_at, so this is one seek.
bool SqliteStore::has_open_attempt(std::int64_t release_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(
      "SELECT EXISTS (SELECT 1 FROM update_attempts WHERE release_id = ? AND ended_at IS NULL AND outcome = '')");
  stmt.bind(1, release_id);
  return stmt.step() && stmt.int64(0) != 0;
}

namespace {

// The audience query of for_each_unblocked_device and count_unblocked_devices
// selecting `what`: devices_by_channel (project_id, channel, device_id,
// blocked; schema V14) is a covering range per channel; a tag filter is the tags'
// ranges of device_tags_by_tag (project_id, tag, device_id) as a list.
// Parameters: ?1 the project, then the channels, then the tags.
std::string audience_sql(std::string_view what, std::size_t channels, std::size_t tags) {
  std::string sql = "SELECT " + std::string(what) +
                    " FROM devices WHERE project_id = ?1 AND blocked = 0 AND channel IN " + placeholders(2, channels);
  if (tags > 0) {
    sql += " AND device_id IN (SELECT t.device_id FROM device_tags t WHERE t.project_id = ?1 AND t.tag IN " +
           placeholders(2 + channels, tags) + ")";
  }
  return sql;
}

void bind_audience(Statement& stmt, std::string_view project_id, std::span<const domain::Channel> channels,
                   std::span<const std::string> tags) {
  stmt.bind(1, project_id);
  int index = 2;
  for (const domain::Channel channel : channels) stmt.bind(index++, channel);
  for (const std::string& tag : tags) stmt.bind(index++, tag);
}

}  // namespace

void SqliteStore::for_each_unblocked_device(std::string_view project_id, std::span<const domain::Channel> channels,
                                            std::span<const std::string> tags,
                                            const std::function<void(std::string_view device_id)>& visit) {
  if (channels.empty()) return;
  auto conn = db_.reader();
  auto stmt = conn->prepare(audience_sql("device_id", channels.size(), tags.size()));
  bind_audience(stmt, project_id, channels, tags);
  while (stmt.step()) visit(stmt.text_view(0));
}

std::int64_t SqliteStore::count_unblocked_devices(std::string_view project_id,
                                                  std::span<const domain::Channel> channels,
                                                  std::span<const std::string> tags) {
  if (channels.empty()) return 0;
  auto conn = db_.reader();
  auto stmt = conn->prepare(audience_sql("COUNT(*)", channels.size(), tags.size()));
  bind_audience(stmt, project_id, channels, tags);
  return stmt.step() ? stmt.int64(0) : 0;
}

}  // namespace apiota::store::sqlite
