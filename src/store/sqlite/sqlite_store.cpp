#include "store/sqlite/sqlite_store.h"

#include <atomic>
#include <cinttypes>
#include <exception>
#include <unordered_map>
#include <cstdio>

#include "domain/printable.h"
#include "store/sqlite/schema.h"

namespace apiota::store::sqlite {

// Holds the writer for one method; when released (after the method's
// transaction committed or rolled back) it counts a possible local change
// of cached data, if the writer's update hook saw one.
class SqliteStore::WriterLock {
 public:
  explicit WriterLock(SqliteStore& owner) : owner_(owner), lock_(owner.writer_mutex_) {}
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;
  ~WriterLock() {
    if (owner_.cache_touched_) {
      owner_.cache_touched_ = false;
      owner_.local_cache_changes_.fetch_add(1, std::memory_order_release);
    }
  }

 private:
  SqliteStore& owner_;
  std::lock_guard<std::mutex> lock_;
};

class SqliteStore::ReaderLease {
 public:
  ReaderLease(SqliteStore& owner, std::unique_ptr<Connection> conn) : owner_(owner), conn_(std::move(conn)) {}
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  ~ReaderLease() {
    std::lock_guard lock(owner_.readers_mutex_);
    owner_.idle_readers_.push_back(std::move(conn_));
  }
  Connection* operator->() { return conn_.get(); }
  Connection& operator*() { return *conn_; }

 private:
  SqliteStore& owner_;
  std::unique_ptr<Connection> conn_;
};

namespace {

constexpr const char* kProjectColumns =
    "id, name, max_devices, max_firmware_bytes, device_requests_per_minute, device_burst, created_at";
constexpr const char* kKeyColumns = "id, project_id, role, hash, hint, created_at, revoked_at, label";
constexpr const char* kReleaseColumns =
    "id, project_id, version, channel, filename, size, sha256, md5, chip, chip_id, image_project_name, "
    "image_version, secure_version, idf_version, signature, appended_sha256, elf_sha256, uploaded_by, uploaded_at, "
    "state, state_reason, notes, rollout_percent, rollback_target_id, rollout_tags, rollout_devices, "
    "max_failure_rate, safety_window, min_attempts, stuck_after_s, rollout_stages, stage_index, stage_started_at, "
    "safety_since";
// A device with its open attempt (columns 11-18), rolled-back releases (19)
// and block reason (20).
constexpr const char* kDeviceWithAttemptsSelect =
    "SELECT d.row_id, d.device_id, d.project_id, d.secret_salt, d.secret_hash, d.channel, d.blocked, "
    "d.registered_at, d.firmware_version, d.last_seen_at, d.last_address, a.id, a.release_id, a.from_version, "
    "a.target_version, a.status, a.status_at, a.started_at, a.project_id, "
    "(SELECT group_concat(r.release_id) FROM update_attempts r WHERE r.device_row_id = d.row_id "
    "AND r.outcome = 'rolled_back'), d.blocked_reason "
    "FROM devices d LEFT JOIN update_attempts a ON a.device_row_id = d.row_id AND a.outcome = '' ";

// An audit entry with the label of the key that made it (column 8).
constexpr const char* kAuditColumns =
    "l.id, l.project_id, l.actor, l.action, l.subject, l.before_json, l.after_json, l.at, COALESCE(k.label, '')";
constexpr const char* kLogColumns =
    "id, device_id, project_id, status, from_version, to_version, message, received_at";

std::string select_from(const char* columns, const char* rest) {
  return std::string("SELECT ") + columns + " " + rest;
}

ProjectRecord project_row(const Statement& s) {
  ProjectRecord p;
  p.id = s.text(0);
  p.name = s.text(1);
  p.plan.max_devices = s.int64(2);
  p.plan.max_firmware_bytes = s.int64(3);
  p.plan.device_requests_per_minute = s.real(4);
  p.plan.device_burst = s.real(5);
  p.created_at = s.int64(6);
  return p;
}

std::string_view role_name(KeyRole role) { return role == KeyRole::Admin ? "admin" : "provision"; }

KeyRecord key_row(const Statement& s) {
  KeyRecord k;
  k.id = s.text(0);
  k.project_id = s.text(1);
  k.role = s.text(2) == "admin" ? KeyRole::Admin : KeyRole::Provision;
  k.hash = s.text(3);
  k.hint = s.text(4);
  k.created_at = s.int64(5);
  k.revoked_at = s.optional_int64(6);
  k.label = s.text(7);
  return k;
}

DeviceRecord device_row(const Statement& s) {
  DeviceRecord d;
  d.row_id = s.int64(0);
  d.device_id = s.text(1);
  d.project_id = s.text(2);
  d.secret_salt = s.text(3);
  d.secret_hash = s.text(4);
  d.channel = s.text(5);
  d.blocked = s.int64(6) != 0;
  d.registered_at = s.int64(7);
  d.firmware_version = s.optional_text(8);
  d.last_seen_at = s.optional_int64(9);
  d.last_address = s.optional_text(10);
  return d;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
  }
  return out;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back(',');
    out += item;
  }
  return out;
}

std::vector<RolloutStageRecord> parse_stages(std::string_view text) {
  std::vector<RolloutStageRecord> out;
  for (const auto& item : split_list(text)) {
    RolloutStageRecord stage;
    if (std::sscanf(item.c_str(), "%lf:%" SCNd64 ":%" SCNd64, &stage.percent, &stage.min_duration_s,
                    &stage.min_successes) == 3) {
      out.push_back(stage);
    }
  }
  return out;
}

std::string join_stages(const std::vector<RolloutStageRecord>& stages) {
  std::vector<std::string> items;
  for (const auto& stage : stages) {
    char text[96];
    std::snprintf(text, sizeof text, "%.2f:%" PRId64 ":%" PRId64, stage.percent, stage.min_duration_s,
                  stage.min_successes);
    items.emplace_back(text);
  }
  return join_list(items);
}

ReleaseRecord release_row(const Statement& s) {
  ReleaseRecord r;
  r.id = s.int64(0);
  r.project_id = s.text(1);
  r.version = s.text(2);
  r.channel = s.text(3);
  r.filename = s.text(4);
  r.size = s.int64(5);
  r.sha256 = s.text(6);
  r.md5 = s.text(7);
  r.chip = s.text(8);
  r.chip_id = s.int64(9);
  r.image_project_name = s.text(10);
  r.image_version = s.text(11);
  r.secure_version = s.int64(12);
  r.idf_version = s.text(13);
  r.signature = s.text(14);
  r.appended_sha256 = s.text(15);
  r.elf_sha256 = s.text(16);
  r.uploaded_by = s.text(17);
  r.uploaded_at = s.int64(18);
  r.state = s.text(19);
  r.state_reason = s.text(20);
  r.notes = s.text(21);
  r.rollout_percent = s.real(22);
  r.rollback_target_id = s.optional_int64(23);
  r.rollout_tags = split_list(s.text(24));
  r.rollout_devices = split_list(s.text(25));
  r.max_failure_rate = s.real(26);
  r.safety_window = s.int64(27);
  r.min_attempts = s.int64(28);
  r.stuck_after_s = s.int64(29);
  r.rollout_stages = parse_stages(s.text(30));
  r.stage_index = s.int64(31);
  r.stage_started_at = s.int64(32);
  r.safety_since = s.int64(33);
  return r;
}

// The operator-managed fields of release r.id.
void write_release_fields(Connection& conn, const ReleaseRecord& r) {
  auto stmt = conn.prepare(
      "UPDATE releases SET state = ?, state_reason = ?, notes = ?, rollout_percent = ?, rollback_target_id = ?, "
      "rollout_tags = ?, rollout_devices = ?, max_failure_rate = ?, safety_window = ?, min_attempts = ?, "
      "stuck_after_s = ?, rollout_stages = ?, stage_index = ?, stage_started_at = ?, safety_since = ? "
      "WHERE project_id = ? AND id = ?");
  stmt.bind(1, r.state).bind(2, r.state_reason).bind(3, r.notes).bind(4, r.rollout_percent);
  stmt.bind(5, r.rollback_target_id).bind(6, join_list(r.rollout_tags)).bind(7, join_list(r.rollout_devices));
  stmt.bind(8, r.max_failure_rate).bind(9, r.safety_window).bind(10, r.min_attempts).bind(11, r.stuck_after_s);
  stmt.bind(12, join_stages(r.rollout_stages)).bind(13, r.stage_index).bind(14, r.stage_started_at);
  stmt.bind(15, r.safety_since).bind(16, r.project_id).bind(17, r.id);
  stmt.run();
}

AttemptRecord attempt_row(const Statement& s) {
  AttemptRecord a;
  a.id = s.int64(0);
  a.project_id = s.text(1);
  a.device_row_id = s.int64(2);
  a.device_id = s.text(3);
  a.release_id = s.int64(4);
  a.from_version = s.optional_text(5);
  a.target_version = s.text(6);
  a.status = s.text(7);
  a.status_at = s.int64(8);
  a.started_at = s.int64(9);
  a.outcome = s.text(10);
  a.ended_at = s.optional_int64(11);
  return a;
}

DeviceRecord device_with_attempts_row(const Statement& s) {
  DeviceRecord d = device_row(s);
  if (auto id = s.optional_int64(11)) {
    AttemptRecord a;
    a.id = *id;
    a.release_id = s.int64(12);
    a.from_version = s.optional_text(13);
    a.target_version = s.text(14);
    a.status = s.text(15);
    a.status_at = s.int64(16);
    a.started_at = s.int64(17);
    a.project_id = s.text(18);
    a.device_row_id = d.row_id;
    a.device_id = d.device_id;
    d.open_attempt = std::move(a);
  }
  for (const auto& id : split_list(s.optional_text(19).value_or(""))) d.rolled_back_release_ids.push_back(std::stoll(id));
  d.blocked_reason = s.text(20);
  return d;
}

void apply_attempt_write_on(Connection& conn, const AttemptWrite& w, bool& changed) {
  if (w.open_id && !w.end_open.empty()) {
    auto stmt = conn.prepare("UPDATE update_attempts SET outcome = ?, ended_at = ? WHERE id = ? AND outcome = ''");
    stmt.bind(1, w.end_open).bind(2, w.at).bind(3, *w.open_id);
    stmt.run();
    changed = changed || conn.changes() > 0;
  } else if (w.open_id && w.touch_status) {
    auto stmt = conn.prepare("UPDATE update_attempts SET status = ?, status_at = ? WHERE id = ? AND outcome = ''");
    stmt.bind(1, *w.touch_status).bind(2, w.at).bind(3, *w.open_id);
    stmt.run();
  }
  if (!w.start) return;
  const AttemptRecord& a = *w.start;
  if (a.outcome.empty()) {
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
  insert.bind(9, a.started_at).bind(10, a.outcome).bind(11, a.ended_at);
  insert.run();
  changed = true;
}

AuditRecord audit_row(const Statement& s) {
  return {s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.int64(7), s.text(8)};
}

void insert_audit(Connection& conn, const AuditRecord& a) {
  auto stmt = conn.prepare(
      "INSERT INTO audit_log (project_id, actor, action, subject, before_json, after_json, at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  stmt.bind(1, a.project_id).bind(2, a.actor).bind(3, a.action).bind(4, a.subject).bind(5, a.before);
  stmt.bind(6, a.after).bind(7, a.at);
  stmt.run();
}

OtaLogRecord log_row(const Statement& s) {
  OtaLogRecord l;
  l.id = s.int64(0);
  l.device_id = s.text(1);
  l.project_id = s.text(2);
  l.status = s.text(3);
  l.from_version = s.optional_text(4);
  l.to_version = s.optional_text(5);
  l.message = s.optional_text(6);
  l.received_at = s.int64(7);
  return l;
}

std::optional<DeviceRecord> find_device_on(Connection& conn, std::string_view device_id) {
  auto stmt = conn.prepare(std::string(kDeviceWithAttemptsSelect) + "WHERE d.device_id = ?");
  stmt.bind(1, device_id);
  if (!stmt.step()) return std::nullopt;
  return device_with_attempts_row(stmt);
}

// Each thread's watcher connections, by store serial. A thread's entry goes
// when the store is destroyed on that thread, or with the thread.
std::unordered_map<std::uint64_t, std::unique_ptr<Connection>>& thread_watchers() {
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> watchers;
  return watchers;
}

// Stores are told apart by serial, not address, so a thread's watcher of a
// destroyed store is never reused for a new one at the same address.
std::uint64_t next_store_serial() {
  static std::atomic<std::uint64_t> serial{0};
  return ++serial;
}

std::optional<ConfigRecord> config_row(Statement& stmt) {
  if (!stmt.step()) return std::nullopt;
  return ConfigRecord{stmt.text(0), stmt.int64(1)};
}

// Damage only a backup or a new database fixes, as opposed to a file that
// could not be reached (SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM, ...).
bool is_damage(int code) { return code == SQLITE_NOTADB || code == SQLITE_CORRUPT; }

constexpr std::string_view kFingerprintName = "server_key_fingerprint";

std::optional<std::string> fingerprint_on(Connection& conn) {
  auto stmt = conn.prepare("SELECT value FROM meta WHERE name = ?");
  stmt.bind(1, kFingerprintName);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

}  // namespace

SqliteStore::SqliteStore(std::string path, SchemaPolicy policy, std::string vfs)
    : path_(std::move(path)), vfs_(std::move(vfs)), serial_(next_store_serial()) {
  try {
    writer_ = std::make_unique<Connection>(path_, vfs_);
  } catch (const SqliteError& e) {
    throw StoreOpenError(e.what(), is_damage(e.code()));
  }
  const std::string shown = domain::printable(path_);
  try {
    if (policy == SchemaPolicy::RequireExisting && schema_version(*writer_) == 0) {
      throw StoreOpenError(shown + " is an SQLite database without apiota's tables", true);
    }
    migrate(*writer_);
  } catch (const SqliteError& e) {
    throw StoreOpenError("cannot read " + shown + ": " + e.what(), is_damage(e.code()));
  } catch (const StoreOpenError&) {
    throw;
  } catch (const StoreError& e) {
    throw StoreOpenError(shown + ": " + e.what(), false);
  }
  // Every change caches depend on bumps cache_generation through a trigger,
  // and SQLite reports trigger-made row changes to the update hook too.
  sqlite3_update_hook(
      writer_->handle(),
      [](void* owner, int, const char*, const char* table, sqlite3_int64) {
        if (std::string_view(table) == "cache_generation") static_cast<SqliteStore*>(owner)->cache_touched_ = true;
      },
      this);

}

SqliteStore::~SqliteStore() { thread_watchers().erase(serial_); }

std::string SqliteStore::claim_server_key_fingerprint(std::string_view fingerprint) {
  // Recorded once per database: every later open only reads.
  if (auto recorded = fingerprint_on(*reader())) return *recorded;
  WriterLock lock(*this);
  Transaction tx(*writer_);
  auto insert = writer_->prepare("INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)");
  insert.bind(1, kFingerprintName).bind(2, fingerprint);
  insert.run();
  auto recorded = fingerprint_on(*writer_);
  tx.commit();
  return recorded.value_or(std::string(fingerprint));
}

SqliteStore::ReaderLease SqliteStore::reader() {
  std::unique_ptr<Connection> conn;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (!conn) conn = std::make_unique<Connection>(path_, vfs_);
  return ReaderLease(*this, std::move(conn));
}

std::optional<ProjectRecord> SqliteStore::find_project(std::string_view id) {
  auto conn = reader();
  auto stmt = conn->prepare(select_from(kProjectColumns, "FROM projects WHERE id = ?"));
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return project_row(stmt);
}

std::vector<ProjectRecord> SqliteStore::list_projects() {
  auto conn = reader();
  auto stmt = conn->prepare(select_from(kProjectColumns, "FROM projects ORDER BY id"));
  std::vector<ProjectRecord> out;
  while (stmt.step()) out.push_back(project_row(stmt));
  return out;
}

void SqliteStore::upsert_project(const ProjectRecord& p) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare(
      "INSERT INTO projects (id, name, max_devices, max_firmware_bytes, device_requests_per_minute, "
      "device_burst, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
      "max_devices = excluded.max_devices, max_firmware_bytes = excluded.max_firmware_bytes, "
      "device_requests_per_minute = excluded.device_requests_per_minute, device_burst = excluded.device_burst");
  stmt.bind(1, p.id).bind(2, p.name).bind(3, p.plan.max_devices).bind(4, p.plan.max_firmware_bytes);
  stmt.bind(5, p.plan.device_requests_per_minute).bind(6, p.plan.device_burst).bind(7, p.created_at);
  stmt.run();
}

void SqliteStore::insert_key(const KeyRecord& k) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare(
      "INSERT INTO api_keys (id, project_id, role, hash, hint, created_at, revoked_at, label) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  stmt.bind(1, k.id).bind(2, k.project_id).bind(3, role_name(k.role)).bind(4, k.hash).bind(5, k.hint);
  stmt.bind(6, k.created_at).bind(7, k.revoked_at).bind(8, k.label);
  stmt.run();
}

std::optional<KeyRecord> SqliteStore::find_key_by_hash(std::string_view hash) {
  auto conn = reader();
  auto stmt = conn->prepare(select_from(kKeyColumns, "FROM api_keys WHERE hash = ?"));
  stmt.bind(1, hash);
  if (!stmt.step()) return std::nullopt;
  return key_row(stmt);
}

std::vector<KeyRecord> SqliteStore::list_keys(std::optional<std::string_view> project_id) {
  auto conn = reader();
  auto stmt = conn->prepare(
      select_from(kKeyColumns, "FROM api_keys WHERE (?1 IS NULL OR project_id = ?1) ORDER BY created_at, id"));
  if (project_id) {
    stmt.bind(1, *project_id);
  } else {
    stmt.bind_null(1);
  }
  std::vector<KeyRecord> out;
  while (stmt.step()) out.push_back(key_row(stmt));
  return out;
}

bool SqliteStore::revoke_key(std::string_view key_id, std::int64_t now) {
  WriterLock lock(*this);
  auto update = writer_->prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?");
  update.bind(1, now).bind(2, key_id);
  update.run();
  return writer_->changes() > 0;
}

std::int64_t SqliteStore::count_keys() {
  auto conn = reader();
  auto stmt = conn->prepare("SELECT COUNT(*) FROM api_keys");
  stmt.step();
  return stmt.int64(0);
}

RegisterResult SqliteStore::register_device(const DeviceRecord& d, std::int64_t max_devices) {
  WriterLock lock(*this);
  Transaction tx(*writer_);
  if (auto existing = find_device_on(*writer_, d.device_id)) {
    return {RegisterOutcome::Exists, std::move(*existing)};
  }
  {
    auto count = writer_->prepare("SELECT device_count FROM projects WHERE id = ?");
    count.bind(1, d.project_id);
    if (count.step() && count.int64(0) >= max_devices) return {RegisterOutcome::PlanLimitReached, d};
  }
  {
    auto insert = writer_->prepare(
        "INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, channel, blocked, registered_at, "
        "firmware_version, version_at, last_seen_at, last_address) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)");
    insert.bind(1, d.device_id).bind(2, d.project_id).bind(3, d.secret_salt).bind(4, d.secret_hash);
    insert.bind(5, d.channel).bind(6, d.registered_at).bind(7, d.firmware_version).bind(8, d.registered_at);
    insert.bind(9, d.last_seen_at).bind(10, d.last_address);
    insert.run();
  }
  DeviceRecord created = d;
  created.row_id = writer_->last_insert_rowid();
  tx.commit();
  return {RegisterOutcome::Created, std::move(created)};
}

Store::ImportResult SqliteStore::import_devices(std::span<const DeviceRecord> devices, std::int64_t max_devices) {
  ImportResult result;
  if (devices.empty()) return result;
  WriterLock lock(*this);
  Transaction tx(*writer_);
  for (const auto& d : devices) {
    auto insert = writer_->prepare(
        "INSERT OR IGNORE INTO devices (device_id, project_id, secret_salt, secret_hash, channel, blocked, "
        "registered_at, firmware_version, version_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)");
    insert.bind(1, d.device_id).bind(2, d.project_id).bind(3, d.secret_salt).bind(4, d.secret_hash);
    insert.bind(5, d.channel).bind(6, d.registered_at).bind(7, d.firmware_version).bind(8, d.registered_at);
    insert.run();
    if (writer_->changes() > 0) {
      ++result.created;
    } else {
      ++result.existing;
    }
  }
  auto count = writer_->prepare("SELECT device_count FROM projects WHERE id = ?");
  count.bind(1, devices.front().project_id);
  if (count.step() && count.int64(0) > max_devices) return ImportResult{false, 0, 0};  // rolled back
  tx.commit();
  return result;
}

std::optional<DeviceRecord> SqliteStore::find_device(std::string_view device_id) {
  auto conn = reader();
  return find_device_on(*conn, device_id);
}

std::vector<DeviceRecord> SqliteStore::list_devices(const DeviceQuery& q) {
  auto conn = reader();
  auto stmt = conn->prepare(std::string(kDeviceWithAttemptsSelect) +
                            "WHERE d.project_id = ? ORDER BY d.device_id LIMIT ? OFFSET ?");
  stmt.bind(1, q.project_id).bind(2, q.limit).bind(3, q.offset);
  std::vector<DeviceRecord> out;
  while (stmt.step()) out.push_back(device_with_attempts_row(stmt));
  return out;
}

std::int64_t SqliteStore::count_devices(std::string_view project_id) {
  auto conn = reader();
  auto stmt = conn->prepare("SELECT device_count FROM projects WHERE id = ?");
  stmt.bind(1, project_id);
  return stmt.step() ? stmt.int64(0) : 0;
}

bool SqliteStore::set_device_blocked(std::string_view project_id, std::string_view device_id, bool blocked,
                                     std::string_view reason) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare(
      "UPDATE devices SET blocked = ?, blocked_reason = ? WHERE project_id = ? AND device_id = ?");
  // A copy: an empty view may have no data, which SQLite would store as NULL.
  stmt.bind(1, std::int64_t{blocked ? 1 : 0}).bind(2, std::string(reason)).bind(3, project_id).bind(4, device_id);
  stmt.run();
  return writer_->changes() > 0;
}

bool SqliteStore::set_device_channel(std::string_view project_id, std::string_view device_id,
                                     std::string_view channel) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare("UPDATE devices SET channel = ? WHERE project_id = ? AND device_id = ?");
  stmt.bind(1, channel).bind(2, project_id).bind(3, device_id);
  stmt.run();
  return writer_->changes() > 0;
}

void SqliteStore::record_seen(std::span<const SeenUpdate> updates) {
  if (updates.empty()) return;
  WriterLock lock(*this);
  Transaction tx(*writer_);
  for (const auto& u : updates) {
    auto stmt = writer_->prepare(
        "UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?1), last_address = ?2, "
        "firmware_version = CASE WHEN version_at <= ?1 THEN ?3 ELSE firmware_version END, "
        "version_at = MAX(version_at, ?1) WHERE row_id = ?4");
    stmt.bind(1, u.seen_at).bind(2, u.address).bind(3, u.reported_version).bind(4, u.device_row_id);
    stmt.run();
  }
  tx.commit();
}

std::vector<std::string> SqliteStore::device_tags(std::string_view device_id) {
  auto conn = reader();
  auto stmt = conn->prepare("SELECT tag FROM device_tags WHERE device_id = ? ORDER BY tag");
  stmt.bind(1, device_id);
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

void SqliteStore::set_device_tags(std::string_view device_id, std::span<const std::string> tags) {
  WriterLock lock(*this);
  Transaction tx(*writer_);
  {
    auto clear = writer_->prepare("DELETE FROM device_tags WHERE device_id = ?");
    clear.bind(1, device_id);
    clear.run();
  }
  for (const auto& tag : tags) {
    auto insert = writer_->prepare("INSERT OR IGNORE INTO device_tags (device_id, tag) VALUES (?, ?)");
    insert.bind(1, device_id).bind(2, tag);
    insert.run();
  }
  tx.commit();
}

std::vector<std::string> SqliteStore::device_ids_with_tag(std::string_view project_id, std::string_view tag) {
  auto conn = reader();
  auto stmt = conn->prepare(
      "SELECT t.device_id FROM device_tags t JOIN devices d ON d.device_id = t.device_id "
      "WHERE d.project_id = ? AND t.tag = ? ORDER BY t.device_id");
  stmt.bind(1, project_id).bind(2, tag);
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

bool SqliteStore::insert_release(ReleaseRecord& r) {
  WriterLock lock(*this);
  Transaction tx(*writer_);
  {
    auto exists = writer_->prepare("SELECT 1 FROM releases WHERE project_id = ? AND version = ? AND channel = ?");
    exists.bind(1, r.project_id).bind(2, r.version).bind(3, r.channel);
    if (exists.step()) return false;
  }
  {
    auto stmt = writer_->prepare(
        "INSERT INTO releases (project_id, version, channel, filename, size, sha256, md5, chip, chip_id, "
        "image_project_name, image_version, secure_version, idf_version, signature, appended_sha256, elf_sha256, "
        "uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, r.project_id).bind(2, r.version).bind(3, r.channel).bind(4, r.filename).bind(5, r.size);
    stmt.bind(6, r.sha256).bind(7, r.md5).bind(8, r.chip).bind(9, r.chip_id).bind(10, r.image_project_name);
    stmt.bind(11, r.image_version).bind(12, r.secure_version).bind(13, r.idf_version).bind(14, r.signature);
    stmt.bind(15, r.appended_sha256).bind(16, r.elf_sha256).bind(17, r.uploaded_by).bind(18, r.uploaded_at);
    stmt.run();
  }
  r.id = writer_->last_insert_rowid();
  write_release_fields(*writer_, r);
  tx.commit();
  return true;
}

std::vector<ReleaseRecord> SqliteStore::list_releases(std::string_view project_id) {
  auto conn = reader();
  auto stmt = conn->prepare(select_from(kReleaseColumns, "FROM releases WHERE project_id = ? ORDER BY id DESC"));
  stmt.bind(1, project_id);
  std::vector<ReleaseRecord> out;
  while (stmt.step()) out.push_back(release_row(stmt));
  return out;
}

std::optional<ReleaseRecord> SqliteStore::find_release_by_filename(std::string_view filename) {
  auto conn = reader();
  auto stmt = conn->prepare(select_from(kReleaseColumns, "FROM releases WHERE filename = ?"));
  stmt.bind(1, filename);
  if (!stmt.step()) return std::nullopt;
  return release_row(stmt);
}

std::optional<ReleaseRecord> SqliteStore::find_release(std::string_view project_id, std::int64_t id) {
  auto conn = reader();
  auto stmt = conn->prepare(select_from(kReleaseColumns, "FROM releases WHERE project_id = ? AND id = ?"));
  stmt.bind(1, project_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return release_row(stmt);
}

bool SqliteStore::update_release(const ReleaseRecord& r, const AuditRecord& audit) {
  WriterLock lock(*this);
  Transaction tx(*writer_);
  write_release_fields(*writer_, r);
  if (writer_->changes() == 0) return false;
  if (r.state == "revoked") {
    auto stmt = writer_->prepare(
        "UPDATE update_attempts SET outcome = 'revoked', ended_at = ? WHERE release_id = ? AND outcome = ''");
    stmt.bind(1, audit.at).bind(2, r.id);
    stmt.run();
  }
  insert_audit(*writer_, audit);
  tx.commit();
  return true;
}

Store::DeleteOutcome SqliteStore::delete_release(std::string_view project_id, std::int64_t id,
                                                const AuditRecord& audit) {
  WriterLock lock(*this);
  Transaction tx(*writer_);
  {
    auto in_use = writer_->prepare(
        "SELECT (SELECT COUNT(*) FROM devices d WHERE d.project_id = r.project_id AND d.firmware_version = r.version) "
        "+ (SELECT COUNT(*) FROM releases t WHERE t.rollback_target_id = r.id) "
        "+ (SELECT COUNT(*) FROM update_attempts a WHERE a.release_id = r.id AND a.outcome = '') "
        "FROM releases r WHERE r.project_id = ? AND r.id = ?");
    in_use.bind(1, project_id).bind(2, id);
    if (!in_use.step()) return DeleteOutcome::NotFound;
    if (in_use.int64(0) > 0) return DeleteOutcome::InUse;
  }
  {
    auto stmt = writer_->prepare("DELETE FROM releases WHERE project_id = ? AND id = ?");
    stmt.bind(1, project_id).bind(2, id);
    stmt.run();
  }
  {
    auto stmt = writer_->prepare("DELETE FROM update_attempts WHERE release_id = ?");
    stmt.bind(1, id);
    stmt.run();
  }
  insert_audit(*writer_, audit);
  tx.commit();
  return DeleteOutcome::Deleted;
}

std::vector<std::string> SqliteStore::referenced_sha256s() {
  auto conn = reader();
  auto stmt = conn->prepare("SELECT DISTINCT sha256 FROM releases");
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

namespace {

// One OTA report: its log line, the device's new version on `done`, and
// its update-attempt change.
std::int64_t insert_report(Connection& conn, const OtaLogRecord& l, std::optional<std::string_view> new_current_version,
                           const AttemptWrite& attempt) {
  {
    auto stmt = conn.prepare(
        "INSERT INTO ota_logs (device_id, project_id, status, from_version, to_version, message, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, l.device_id).bind(2, l.project_id).bind(3, l.status).bind(4, l.from_version);
    stmt.bind(5, l.to_version).bind(6, l.message).bind(7, l.received_at);
    stmt.run();
  }
  std::int64_t id = conn.last_insert_rowid();
  if (new_current_version) {
    auto stmt = conn.prepare(
        "UPDATE devices SET firmware_version = ?, version_at = MAX(version_at, ?) WHERE device_id = ?");
    stmt.bind(1, *new_current_version).bind(2, l.received_at).bind(3, l.device_id);
    stmt.run();
  }
  bool changed = false;
  apply_attempt_write_on(conn, attempt, changed);
  return id;
}

}  // namespace

// Group commit: every caller queues its report, then takes the writer. The
// first to get it commits all queued reports in one transaction; the others
// find theirs done when they get the writer in turn. Nobody returns before
// its report is committed, and a failed commit fails every report in it.
struct SqliteStore::QueuedReport {
  const OtaLogRecord* log;
  std::optional<std::string_view> new_current_version;
  const AttemptWrite* attempt;
  std::int64_t id = 0;
  bool done = false;
  std::exception_ptr error;
};

std::int64_t SqliteStore::append_ota_log(const OtaLogRecord& l, std::optional<std::string_view> new_current_version,
                                         const AttemptWrite& attempt) {
  QueuedReport mine{&l, new_current_version, &attempt, 0, false, nullptr};
  {
    std::lock_guard queue(report_queue_mutex_);
    report_queue_.push_back(&mine);
  }
  WriterLock lock(*this);
  if (!mine.done) {
    std::vector<QueuedReport*> batch;
    {
      std::lock_guard queue(report_queue_mutex_);
      batch.swap(report_queue_);
    }
    try {
      Transaction tx(*writer_);
      for (QueuedReport* report : batch) {
        report->id = insert_report(*writer_, *report->log, report->new_current_version, *report->attempt);
      }
      tx.commit();
    } catch (...) {
      for (QueuedReport* report : batch) report->error = std::current_exception();
    }
    for (QueuedReport* report : batch) report->done = true;
  }
  if (mine.error) std::rethrow_exception(mine.error);
  return mine.id;
}


std::vector<OtaLogRecord> SqliteStore::list_ota_logs(std::string_view device_id, std::int64_t limit) {
  auto conn = reader();
  auto stmt = conn->prepare(select_from(kLogColumns, "FROM ota_logs WHERE device_id = ? ORDER BY id DESC LIMIT ?"));
  stmt.bind(1, device_id).bind(2, limit);
  std::vector<OtaLogRecord> out;
  while (stmt.step()) out.push_back(log_row(stmt));
  return out;
}

std::optional<ConfigRecord> SqliteStore::project_config(std::string_view project_id) {
  auto conn = reader();
  auto stmt = conn->prepare("SELECT json, updated_at FROM project_config WHERE project_id = ?");
  stmt.bind(1, project_id);
  return config_row(stmt);
}

std::optional<ConfigRecord> SqliteStore::device_config(std::string_view device_id) {
  auto conn = reader();
  auto stmt = conn->prepare("SELECT json, updated_at FROM device_config WHERE device_id = ?");
  stmt.bind(1, device_id);
  return config_row(stmt);
}

void SqliteStore::set_project_config(std::string_view project_id, const ConfigRecord& c) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare(
      "INSERT INTO project_config (project_id, json, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT(project_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at");
  stmt.bind(1, project_id).bind(2, c.json).bind(3, c.updated_at);
  stmt.run();
}

void SqliteStore::set_device_config(std::string_view device_id, const ConfigRecord& c) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare(
      "INSERT INTO device_config (device_id, json, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT(device_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at");
  stmt.bind(1, device_id).bind(2, c.json).bind(3, c.updated_at);
  stmt.run();
}

std::vector<PinRecord> SqliteStore::list_pins(std::string_view project_id) {
  auto conn = reader();
  auto stmt = conn->prepare(
      "SELECT project_id, scope, subject, version, created_at FROM pins WHERE project_id = ? ORDER BY scope, subject");
  stmt.bind(1, project_id);
  std::vector<PinRecord> out;
  while (stmt.step()) out.push_back({stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.int64(4)});
  return out;
}

void SqliteStore::set_pin(const PinRecord& pin) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare(
      "INSERT INTO pins (project_id, scope, subject, version, created_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT(project_id, scope, subject) DO UPDATE SET version = excluded.version, "
      "created_at = excluded.created_at");
  stmt.bind(1, pin.project_id).bind(2, pin.scope).bind(3, pin.subject).bind(4, pin.version).bind(5, pin.created_at);
  stmt.run();
}

bool SqliteStore::clear_pin(std::string_view project_id, std::string_view scope, std::string_view subject) {
  WriterLock lock(*this);
  auto stmt = writer_->prepare("DELETE FROM pins WHERE project_id = ? AND scope = ? AND subject = ?");
  stmt.bind(1, project_id).bind(2, scope).bind(3, subject);
  stmt.run();
  return writer_->changes() > 0;
}

bool SqliteStore::apply_attempt_write(const AttemptWrite& write) {
  if (write.empty()) return false;
  WriterLock lock(*this);
  Transaction tx(*writer_);
  bool changed = false;
  apply_attempt_write_on(*writer_, write, changed);
  tx.commit();
  return changed;
}

std::vector<AttemptRecord> SqliteStore::stale_attempts(std::int64_t now) {
  auto conn = reader();
  auto stmt = conn->prepare(
      "SELECT a.id, a.project_id, a.device_row_id, a.device_id, a.release_id, a.from_version, a.target_version, "
      "a.status, a.status_at, a.started_at, a.outcome, a.ended_at FROM update_attempts a "
      "JOIN releases r ON r.id = a.release_id WHERE a.outcome = '' "
      "AND a.status IN ('downloading', 'verifying', 'flashing', 'rebooting') "
      "AND a.status_at < ? - r.stuck_after_s * 1000 ORDER BY a.status_at");
  stmt.bind(1, now);
  std::vector<AttemptRecord> out;
  while (stmt.step()) out.push_back(attempt_row(stmt));
  return out;
}

std::vector<std::string> SqliteStore::recent_attempt_outcomes(std::int64_t release_id, std::int64_t since,
                                                              std::int64_t limit) {
  auto conn = reader();
  auto stmt = conn->prepare(
      "SELECT outcome FROM (SELECT outcome, ended_at, id FROM update_attempts WHERE release_id = ? "
      "AND outcome NOT IN ('', 'superseded', 'revoked') AND ended_at >= ? ORDER BY ended_at DESC, id DESC LIMIT ?) "
      "ORDER BY ended_at, id");
  stmt.bind(1, release_id).bind(2, since).bind(3, limit);
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

std::int64_t SqliteStore::count_successes_since(std::int64_t release_id, std::int64_t since) {
  auto conn = reader();
  auto stmt = conn->prepare(
      "SELECT COUNT(*) FROM update_attempts WHERE release_id = ? AND outcome = 'succeeded' AND ended_at >= ?");
  stmt.bind(1, release_id).bind(2, since);
  stmt.step();
  return stmt.int64(0);
}

std::vector<ReleaseOutcomes> SqliteStore::release_outcomes(std::string_view project_id) {
  auto conn = reader();
  auto stmt = conn->prepare(
      "SELECT release_id, SUM(outcome = 'succeeded'), SUM(outcome = 'failed'), SUM(outcome = 'stuck'), "
      "SUM(outcome = 'rolled_back'), SUM(outcome = 'revoked') FROM update_attempts "
      "WHERE project_id = ? AND outcome != '' GROUP BY release_id");
  stmt.bind(1, project_id);
  std::vector<ReleaseOutcomes> out;
  while (stmt.step()) {
    out.push_back({stmt.int64(0), stmt.int64(1), stmt.int64(2), stmt.int64(3), stmt.int64(4), stmt.int64(5)});
  }
  return out;
}

void SqliteStore::append_audit(const AuditRecord& audit) {
  WriterLock lock(*this);
  insert_audit(*writer_, audit);
}

std::vector<AuditRecord> SqliteStore::list_audit(std::string_view project_id, std::int64_t limit) {
  auto conn = reader();
  auto stmt =
      conn->prepare(select_from(kAuditColumns,
                                "FROM audit_log l LEFT JOIN api_keys k ON k.id = l.actor "
                                "WHERE l.project_id = ? ORDER BY l.id DESC LIMIT ?"));
  stmt.bind(1, project_id).bind(2, limit);
  std::vector<AuditRecord> out;
  while (stmt.step()) out.push_back(audit_row(stmt));
  return out;
}

std::uint64_t SqliteStore::data_version() {
  auto stmt = watcher().prepare("PRAGMA data_version");
  stmt.step();
  return static_cast<std::uint64_t>(stmt.int64(0));
}

Connection& SqliteStore::watcher() {
  auto& conn = thread_watchers()[serial_];
  if (!conn) conn = std::make_unique<Connection>(path_, vfs_);
  return *conn;
}

std::uint64_t SqliteStore::local_cache_changes() { return local_cache_changes_.load(std::memory_order_acquire); }

CacheGenerations SqliteStore::cache_generations() {
  auto stmt = watcher().prepare("SELECT name, value FROM cache_generation");
  CacheGenerations out;
  while (stmt.step()) {
    if (stmt.text(0) == "catalog") out.catalog = stmt.int64(1);
    if (stmt.text(0) == "devices") out.devices = stmt.int64(1);
  }
  return out;
}

}  // namespace apiota::store::sqlite
