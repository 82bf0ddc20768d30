#include "store/sqlite/schema.h"

#include <string>
#include <utility>

#include "store/sqlite/cache_triggers.h"
#include "store/store_error.h"

namespace apiota::store::sqlite {
namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  max_devices INTEGER NOT NULL,
  max_firmware_bytes INTEGER NOT NULL,
  device_requests_per_minute REAL NOT NULL,
  device_burst REAL NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id),
  role TEXT NOT NULL CHECK (role IN ('provision', 'admin')),
  hash TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE devices (
  row_id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL REFERENCES projects(id),
  secret_salt TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT 'stable',
  blocked INTEGER NOT NULL DEFAULT 0,
  registered_at INTEGER NOT NULL,
  firmware_version TEXT,
  version_at INTEGER NOT NULL DEFAULT 0,
  last_seen_at INTEGER,
  last_address TEXT
);
CREATE INDEX devices_by_project ON devices(project_id, device_id);
CREATE TABLE releases (
  id INTEGER PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id),
  version TEXT NOT NULL,
  channel TEXT NOT NULL,
  filename TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  md5 TEXT NOT NULL,
  chip TEXT NOT NULL,
  chip_id INTEGER NOT NULL,
  image_project_name TEXT NOT NULL,
  image_version TEXT NOT NULL,
  secure_version INTEGER NOT NULL,
  idf_version TEXT NOT NULL,
  signature TEXT NOT NULL,
  appended_sha256 TEXT NOT NULL,
  elf_sha256 TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  UNIQUE (project_id, version, channel)
);
CREATE TABLE ota_logs (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  status TEXT NOT NULL,
  from_version TEXT,
  to_version TEXT,
  message TEXT,
  received_at INTEGER NOT NULL
);
CREATE INDEX ota_logs_by_device ON ota_logs(device_id, id);
CREATE TABLE project_config (
  project_id TEXT PRIMARY KEY REFERENCES projects(id),
  json TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE device_config (
  device_id TEXT PRIMARY KEY,
  json TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

// Releases become operator-managed (state, notes, rollout share, rollback
// target), and every operator action is audited.
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE releases ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
  CHECK (state IN ('active', 'paused', 'revoked'));
ALTER TABLE releases ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN rollout_percent REAL NOT NULL DEFAULT 100;
ALTER TABLE releases ADD COLUMN rollback_target_id INTEGER REFERENCES releases(id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  project_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX audit_log_by_project ON audit_log(project_id, id);
)sql";

// Rollout targeting by device tags and explicit device lists. Lists are
// stored comma-separated: tags and device ids cannot contain commas.
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE releases ADD COLUMN rollout_tags TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN rollout_devices TEXT NOT NULL DEFAULT '';
CREATE TABLE device_tags (
  device_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (device_id, tag)
);
)sql";

// Pins hold a device, or all devices with a tag, at an exact version.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE pins (
  project_id TEXT NOT NULL REFERENCES projects(id),
  scope TEXT NOT NULL CHECK (scope IN ('device', 'tag')),
  subject TEXT NOT NULL,
  version TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, scope, subject)
);
)sql";

// Update attempts feed rollout safety and auto-advance; releases get their
// safety settings and stage schedule (stages stored as
// "percent:min_duration_s:min_successes", comma-separated).
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE releases ADD COLUMN max_failure_rate REAL NOT NULL DEFAULT 0.2;
ALTER TABLE releases ADD COLUMN safety_window INTEGER NOT NULL DEFAULT 20;
ALTER TABLE releases ADD COLUMN min_attempts INTEGER NOT NULL DEFAULT 5;
ALTER TABLE releases ADD COLUMN stuck_after_s INTEGER NOT NULL DEFAULT 3600;
ALTER TABLE releases ADD COLUMN safety_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE releases ADD COLUMN rollout_stages TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN stage_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE releases ADD COLUMN stage_started_at INTEGER NOT NULL DEFAULT 0;
CREATE TABLE update_attempts (
  id INTEGER PRIMARY KEY,
  project_id TEXT NOT NULL,
  device_row_id INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  release_id INTEGER NOT NULL,
  from_version TEXT,
  target_version TEXT NOT NULL,
  status TEXT NOT NULL,
  status_at INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  ended_at INTEGER
);
CREATE UNIQUE INDEX update_attempts_open ON update_attempts(device_row_id) WHERE outcome = '';
CREATE INDEX update_attempts_by_device ON update_attempts(device_row_id, outcome);
CREATE INDEX update_attempts_by_release ON update_attempts(release_id, ended_at);
CREATE INDEX update_attempts_open_since ON update_attempts(status_at) WHERE outcome = '';
)sql";

// Hot-path support. projects.device_count makes the plan's device limit an
// O(1) check. cache_generation counts changes that in-memory caches must
// notice, whichever process makes them: 'catalog' (a project's plan, its
// releases and pins) and 'devices' (what authenticates a device and decides
// its update: secret, project, channel, blocked, tags). Check-update
// observations and OTA reports do not bump it. The triggers that bump it are
// made from one list (cache_triggers.h) and brought to it on every open.
constexpr const char* kSchemaV6 = R"sql(
ALTER TABLE projects ADD COLUMN device_count INTEGER NOT NULL DEFAULT 0;
UPDATE projects SET device_count = (SELECT COUNT(*) FROM devices WHERE devices.project_id = projects.id);
CREATE TRIGGER devices_count_insert AFTER INSERT ON devices BEGIN
  UPDATE projects SET device_count = device_count + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER devices_count_delete AFTER DELETE ON devices BEGIN
  UPDATE projects SET device_count = device_count - 1 WHERE id = OLD.project_id;
END;
CREATE TABLE cache_generation (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO cache_generation (name, value) VALUES ('catalog', 0), ('devices', 0);
)sql";

// Facts about the database itself, by name. 'server_key_fingerprint': which
// server key the stored digests were made with (docs/security.md).
constexpr const char* kSchemaV7 = R"sql(
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// Why a device was blocked, and what an API key is for (shown in key lists
// and next to the key's id in the audit log).
constexpr const char* kSchemaV8 = R"sql(
ALTER TABLE devices ADD COLUMN blocked_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN label TEXT NOT NULL DEFAULT '';
)sql";

// The console's lists (docs/api.md, GET /api/admin/devices and
// /api/admin/audit): an index per device filter and sort, each ending in
// device_id so a page is one index range in list order. A device never seen
// or of unknown version sorts by a stand-in value (-1, ''): two virtual
// columns (kSchemaV9Columns) make it a plain column, which keyset paging
// ((key, device_id) > (?, ?)) needs to seek the index. Written to be run
// again on a database that has some of it already.
constexpr std::pair<const char*, const char*> kSchemaV9Columns[] = {
    {"last_seen_key", "INTEGER GENERATED ALWAYS AS (COALESCE(last_seen_at, -1)) VIRTUAL"},
    {"version_key", "TEXT GENERATED ALWAYS AS (COALESCE(firmware_version, '')) VIRTUAL"},
};
constexpr const char* kSchemaV9 = R"sql(
CREATE INDEX IF NOT EXISTS devices_by_last_seen ON devices(project_id, last_seen_key, device_id);
CREATE INDEX IF NOT EXISTS devices_by_registered ON devices(project_id, registered_at, device_id);
CREATE INDEX IF NOT EXISTS devices_by_version ON devices(project_id, version_key, device_id);
CREATE INDEX IF NOT EXISTS devices_by_channel ON devices(project_id, channel, device_id);
CREATE INDEX IF NOT EXISTS devices_by_blocked ON devices(project_id, blocked, device_id);
CREATE INDEX IF NOT EXISTS device_tags_by_tag ON device_tags(tag, device_id);
CREATE INDEX IF NOT EXISTS update_attempts_by_device_newest ON update_attempts(device_row_id, id);
CREATE INDEX IF NOT EXISTS audit_log_by_action ON audit_log(project_id, action, id);
CREATE INDEX IF NOT EXISTS audit_log_by_actor ON audit_log(project_id, actor, id);
CREATE INDEX IF NOT EXISTS audit_log_by_subject ON audit_log(project_id, subject, id);
)sql";

bool has_column(Connection& conn, const std::string& table, const std::string& column) {
  auto present = conn.prepare("SELECT 1 FROM pragma_table_xinfo(?) WHERE name = ?");
  present.bind(1, table).bind(2, column);
  return present.step();
}

void add_column(Connection& conn, const std::string& table, const std::string& column, const std::string& definition) {
  if (!has_column(conn, table, column)) conn.exec("ALTER TABLE " + table + " ADD COLUMN " + column + " " + definition);
}

void migrate_to_v9(Connection& conn) {
  for (const auto& [column, definition] : kSchemaV9Columns) add_column(conn, "devices", column, definition);
  conn.exec(kSchemaV9);
}

// Fleet statistics and rollout progress (store/fleet_stats_store.h), fast at
// a million devices (docs/api.md, "Fleet statistics"): indexes, no counter
// tables; the service caches what a scan costs.
//   devices_by_last_seen (schema V9): seen in the last hour/day, never seen (a range count);
//   devices_by_channel_version: devices per channel and version (a covering scan);
//   devices_audience: blocked count, and the unblocked devices per channel a
//     release's eligible count walks (a covering range, no table lookups);
//   update_attempts_by_project_end: outcomes over time (a covering range);
//   update_attempts_release_devices: a release's attempt counts (covering).
constexpr const char* kSchemaV10 = R"sql(
CREATE INDEX IF NOT EXISTS devices_by_channel_version ON devices(project_id, channel, firmware_version);
CREATE INDEX IF NOT EXISTS devices_audience ON devices(project_id, blocked, channel, device_id);
CREATE INDEX IF NOT EXISTS update_attempts_by_project_end ON update_attempts(project_id, ended_at, outcome);
CREATE INDEX IF NOT EXISTS update_attempts_release_devices ON update_attempts(release_id, device_row_id, outcome);
)sql";

// The web console's sign-in sessions (store/console_session_store.h), found
// by the hash of their token.
constexpr const char* kSchemaV11 = R"sql(
CREATE TABLE IF NOT EXISTS console_sessions (
  token_hash TEXT PRIMARY KEY,
  key_id TEXT NOT NULL REFERENCES api_keys(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Fleet statistics kept by triggers instead of counted by scans
// (store/fleet_stats_store.h, docs/api.md "Fleet statistics"): each counter
// changes in the transaction of the row change it counts, so it always equals
// a recount. `n` is the count; a row whose count drops to 0 is deleted.
//   device_version_counts: devices per (project, channel, firmware_version);
//     `known` = 0 with version '' for a device that never reported one. The
//     update trigger fires only when one of those columns really changes
//     (record_seen leaves firmware_version out of its write when unchanged,
//     device_queries.cpp), so a poll does not touch it.
//   attempt_outcome_hours: attempts that ended succeeded, failed, stuck or
//     rolled_back, per (project, hour of ended_at (UTC, Unix ms), outcome);
//     a day is the sum of its 24 hours.
//   release_attempt_counts: a release's attempts per outcome ('' = open).
//   release_offered_devices: a release's distinct devices with an attempt
//     (kept with update_attempts_release_devices, kSchemaV10).
// The V10 indexes only the replaced scans used are dropped. Written to be run
// again: it rebuilds the counters from the tables (the backfill).
constexpr const char* kSchemaV12 = R"sql(
CREATE TABLE IF NOT EXISTS device_version_counts (
  project_id TEXT NOT NULL, channel TEXT NOT NULL, known INTEGER NOT NULL, version TEXT NOT NULL,
  n INTEGER NOT NULL, PRIMARY KEY (project_id, channel, known, version)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attempt_outcome_hours (
  project_id TEXT NOT NULL, hour_start INTEGER NOT NULL, outcome TEXT NOT NULL,
  n INTEGER NOT NULL, PRIMARY KEY (project_id, hour_start, outcome)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS release_attempt_counts (
  release_id INTEGER NOT NULL, outcome TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (release_id, outcome)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS release_offered_devices (release_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);

DROP TRIGGER IF EXISTS device_version_counts_insert;
CREATE TRIGGER device_version_counts_insert AFTER INSERT ON devices BEGIN
  INSERT INTO device_version_counts VALUES (NEW.project_id, NEW.channel, NEW.firmware_version IS NOT NULL,
    COALESCE(NEW.firmware_version, ''), 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS device_version_counts_delete;
CREATE TRIGGER device_version_counts_delete AFTER DELETE ON devices BEGIN
  UPDATE device_version_counts SET n = n - 1 WHERE project_id = OLD.project_id AND channel = OLD.channel
    AND known = (OLD.firmware_version IS NOT NULL) AND version = COALESCE(OLD.firmware_version, '');
  DELETE FROM device_version_counts WHERE project_id = OLD.project_id AND channel = OLD.channel
    AND known = (OLD.firmware_version IS NOT NULL) AND version = COALESCE(OLD.firmware_version, '') AND n <= 0;
END;
DROP TRIGGER IF EXISTS device_version_counts_update;
CREATE TRIGGER device_version_counts_update AFTER UPDATE OF project_id, channel, firmware_version ON devices
WHEN OLD.project_id IS NOT NEW.project_id OR OLD.channel IS NOT NEW.channel
  OR OLD.firmware_version IS NOT NEW.firmware_version BEGIN
  UPDATE device_version_counts SET n = n - 1 WHERE project_id = OLD.project_id AND channel = OLD.channel
    AND known = (OLD.firmware_version IS NOT NULL) AND version = COALESCE(OLD.firmware_version, '');
  DELETE FROM device_version_counts WHERE project_id = OLD.project_id AND channel = OLD.channel
    AND known = (OLD.firmware_version IS NOT NULL) AND version = COALESCE(OLD.firmware_version, '') AND n <= 0;
  INSERT INTO device_version_counts VALUES (NEW.project_id, NEW.channel, NEW.firmware_version IS NOT NULL,
    COALESCE(NEW.firmware_version, ''), 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;

DROP TRIGGER IF EXISTS attempt_counts_insert;
CREATE TRIGGER attempt_counts_insert AFTER INSERT ON update_attempts BEGIN
  INSERT INTO attempt_outcome_hours SELECT NEW.project_id, (NEW.ended_at / 3600000) * 3600000, NEW.outcome, 1
    WHERE NEW.ended_at IS NOT NULL AND NEW.outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back')
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO release_attempt_counts VALUES (NEW.release_id, NEW.outcome, 1) ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO release_offered_devices SELECT NEW.release_id, 1 WHERE NOT EXISTS (SELECT 1 FROM update_attempts a
    WHERE a.release_id = NEW.release_id AND a.device_row_id = NEW.device_row_id AND a.id <> NEW.id)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS attempt_counts_delete;
CREATE TRIGGER attempt_counts_delete AFTER DELETE ON update_attempts BEGIN
  UPDATE attempt_outcome_hours SET n = n - 1 WHERE OLD.ended_at IS NOT NULL
    AND OLD.outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back') AND project_id = OLD.project_id
    AND hour_start = (OLD.ended_at / 3600000) * 3600000 AND outcome = OLD.outcome;
  DELETE FROM attempt_outcome_hours WHERE project_id = OLD.project_id
    AND hour_start = (OLD.ended_at / 3600000) * 3600000 AND outcome = OLD.outcome AND n <= 0;
  UPDATE release_attempt_counts SET n = n - 1 WHERE release_id = OLD.release_id AND outcome = OLD.outcome;
  DELETE FROM release_attempt_counts WHERE release_id = OLD.release_id AND outcome = OLD.outcome AND n <= 0;
  UPDATE release_offered_devices SET n = n - 1 WHERE release_id = OLD.release_id AND NOT EXISTS (SELECT 1
    FROM update_attempts a WHERE a.release_id = OLD.release_id AND a.device_row_id = OLD.device_row_id);
  DELETE FROM release_offered_devices WHERE release_id = OLD.release_id AND n <= 0;
END;
DROP TRIGGER IF EXISTS attempt_counts_update;
CREATE TRIGGER attempt_counts_update AFTER UPDATE OF project_id, release_id, outcome, ended_at ON update_attempts
WHEN OLD.project_id IS NOT NEW.project_id OR OLD.release_id IS NOT NEW.release_id
  OR OLD.outcome IS NOT NEW.outcome OR OLD.ended_at IS NOT NEW.ended_at BEGIN
  UPDATE attempt_outcome_hours SET n = n - 1 WHERE OLD.ended_at IS NOT NULL
    AND OLD.outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back') AND project_id = OLD.project_id
    AND hour_start = (OLD.ended_at / 3600000) * 3600000 AND outcome = OLD.outcome;
  DELETE FROM attempt_outcome_hours WHERE project_id = OLD.project_id
    AND hour_start = (OLD.ended_at / 3600000) * 3600000 AND outcome = OLD.outcome AND n <= 0;
  INSERT INTO attempt_outcome_hours SELECT NEW.project_id, (NEW.ended_at / 3600000) * 3600000, NEW.outcome, 1
    WHERE NEW.ended_at IS NOT NULL AND NEW.outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back')
    ON CONFLICT DO UPDATE SET n = n + 1;
  UPDATE release_attempt_counts SET n = n - 1 WHERE release_id = OLD.release_id AND outcome = OLD.outcome;
  DELETE FROM release_attempt_counts WHERE release_id = OLD.release_id AND outcome = OLD.outcome AND n <= 0;
  INSERT INTO release_attempt_counts VALUES (NEW.release_id, NEW.outcome, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS attempt_offered_update;
CREATE TRIGGER attempt_offered_update AFTER UPDATE OF release_id, device_row_id ON update_attempts
WHEN OLD.release_id IS NOT NEW.release_id OR OLD.device_row_id IS NOT NEW.device_row_id BEGIN
  UPDATE release_offered_devices SET n = n - 1 WHERE release_id = OLD.release_id AND NOT EXISTS (SELECT 1
    FROM update_attempts a WHERE a.release_id = OLD.release_id AND a.device_row_id = OLD.device_row_id);
  DELETE FROM release_offered_devices WHERE release_id = OLD.release_id AND n <= 0;
  INSERT INTO release_offered_devices SELECT NEW.release_id, 1 WHERE NOT EXISTS (SELECT 1 FROM update_attempts a
    WHERE a.release_id = NEW.release_id AND a.device_row_id = NEW.device_row_id AND a.id <> NEW.id)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

DELETE FROM device_version_counts;
INSERT INTO device_version_counts SELECT project_id, channel, firmware_version IS NOT NULL,
  COALESCE(firmware_version, ''), COUNT(*) FROM devices GROUP BY 1, 2, 3, 4;
DELETE FROM attempt_outcome_hours;
INSERT INTO attempt_outcome_hours SELECT project_id, (ended_at / 3600000) * 3600000, outcome, COUNT(*)
  FROM update_attempts WHERE ended_at IS NOT NULL AND outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back')
  GROUP BY 1, 2, 3;
DELETE FROM release_attempt_counts;
INSERT INTO release_attempt_counts SELECT release_id, outcome, COUNT(*) FROM update_attempts GROUP BY 1, 2;
DELETE FROM release_offered_devices;
INSERT INTO release_offered_devices SELECT release_id, COUNT(DISTINCT device_row_id) FROM update_attempts
  GROUP BY 1;

DROP INDEX IF EXISTS devices_by_channel_version;
DROP INDEX IF EXISTS update_attempts_by_project_end;
)sql";

// The device list's tag filter, fast at a million devices: a tag row holds
// its device's project (devices never change project), so a project's
// devices with a tag are one range of device_tags_by_tag, in device_id order,
// and counting them reads no devices row. The index keeps its name with the
// project in front; the V9 one (tag, device_id) is dropped. Existing rows
// get their device's project ('' if the device is gone: never listed).
// Written to be run again on a database that has some of it already.
constexpr const char* kSchemaV13 = R"sql(
UPDATE device_tags SET project_id = COALESCE(
  (SELECT d.project_id FROM devices d WHERE d.device_id = device_tags.device_id), '') WHERE project_id = '';
DROP INDEX IF EXISTS device_tags_by_tag;
CREATE INDEX device_tags_by_tag ON device_tags(project_id, tag, device_id);
)sql";

void migrate_to_v13(Connection& conn) {
  add_column(conn, "device_tags", "project_id", "TEXT NOT NULL DEFAULT ''");
  conn.exec(kSchemaV13);
}

// Fewer device indexes, as each one costs a registration a written page:
// the per-channel index carries `blocked`, so a release's audience (the
// unblocked devices of its channels) is a covering range of it and
// devices_audience goes; blocked devices, a few, get a partial index in
// place of one over every device, which serves the blocked count and the
// list's blocked=true filter (its SQL names the value, so SQLite can use the
// partial index; `blocked` is in its columns so that a count reads the index
// alone, never the channel index). The version index carries channel and
// blocked too, so a list filtered by version and channel (the console's
// "which beta devices run 1.2.0") is counted in its range without reading a
// devices row: 72 ms at 1M devices for the 10,001 the count caps at, 9 ms
// after. Written to be run again.
constexpr const char* kSchemaV14 = R"sql(
DROP INDEX IF EXISTS devices_audience;
DROP INDEX IF EXISTS devices_by_blocked;
DROP INDEX IF EXISTS devices_by_channel;
CREATE INDEX devices_by_channel ON devices(project_id, channel, device_id, blocked);
DROP INDEX IF EXISTS devices_by_version;
CREATE INDEX devices_by_version ON devices(project_id, version_key, device_id, channel, blocked);
CREATE INDEX IF NOT EXISTS devices_blocked ON devices(project_id, blocked, device_id) WHERE blocked = 1;
)sql";

}  // namespace

std::int64_t schema_version(Connection& conn) {
  auto stmt = conn.prepare("PRAGMA user_version");
  return stmt.step() ? stmt.int64(0) : 0;
}

void migrate(Connection& conn) {
  Transaction tx(conn);
  const std::int64_t version = schema_version(conn);
  if (version > kSchemaVersion) {
    throw StoreError("database schema version " + std::to_string(version) +
                     " is newer than this apiota supports (" + std::to_string(kSchemaVersion) + ")");
  }
  if (version < 1) conn.exec(kSchemaV1);
  if (version < 2) conn.exec(kSchemaV2);
  if (version < 3) conn.exec(kSchemaV3);
  if (version < 4) conn.exec(kSchemaV4);
  if (version < 5) conn.exec(kSchemaV5);
  if (version < 6) conn.exec(kSchemaV6);
  if (version < 7) conn.exec(kSchemaV7);
  if (version < 8) conn.exec(kSchemaV8);
  if (version < 9) migrate_to_v9(conn);
  if (version < 10) conn.exec(kSchemaV10);
  if (version < 11) conn.exec(kSchemaV11);
  if (version < 12) conn.exec(kSchemaV12);
  if (version < 13) migrate_to_v13(conn);
  if (version < 14) conn.exec(kSchemaV14);
  sync_cache_triggers(conn);
  conn.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  tx.commit();
}

}  // namespace apiota::store::sqlite
