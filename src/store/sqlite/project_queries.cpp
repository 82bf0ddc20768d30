// ProjectStore on SQLite: projects, API keys and the server key fingerprint.

#include "store/record_columns.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

const RowMapping<ProjectRecord>& kProject = project_columns();

const RowMapping<KeyRecord>& kKey = key_columns();

const std::string kSelectProjects = "SELECT " + kProject.select_list() + " FROM projects ";
const std::string kSelectKeys = "SELECT " + kKey.select_list() + " FROM api_keys ";

constexpr std::string_view kFingerprintName = "server_key_fingerprint";

std::optional<std::string> fingerprint_on(Connection& conn) {
  auto stmt = conn.prepare("SELECT value FROM meta WHERE name = ?");
  stmt.bind(1, kFingerprintName);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

}  // namespace

std::string SqliteStore::claim_server_key_fingerprint(std::string_view fingerprint) {
  // Recorded once per database: every later open only reads.
  if (auto recorded = fingerprint_on(*db_.reader())) return *recorded;
  auto writer = db_.writer();
  Transaction tx(*writer);
  auto insert = writer->prepare("INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)");
  insert.bind(1, kFingerprintName).bind(2, fingerprint);
  insert.run();
  auto recorded = fingerprint_on(*writer);
  tx.commit();
  return recorded.value_or(std::string(fingerprint));
}

std::optional<ProjectRecord> SqliteStore::find_project(std::string_view id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kSelectProjects + "WHERE id = ?");
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return kProject.read(stmt);
}

std::vector<ProjectRecord> SqliteStore::list_projects() {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kSelectProjects + "ORDER BY id");
  std::vector<ProjectRecord> out;
  while (stmt.step()) out.push_back(kProject.read(stmt));
  return out;
}

void SqliteStore::upsert_project(const ProjectRecord& p) {
  auto writer = db_.writer();
  auto stmt = writer->prepare(
      "INSERT INTO projects (id, name, max_devices, max_firmware_bytes, device_requests_per_minute, "
      "device_burst, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
      "max_devices = excluded.max_devices, max_firmware_bytes = excluded.max_firmware_bytes, "
      "device_requests_per_minute = excluded.device_requests_per_minute, device_burst = excluded.device_burst");
  stmt.bind(1, p.id).bind(2, p.name).bind(3, p.plan.max_devices).bind(4, p.plan.max_firmware_bytes);
  stmt.bind(5, p.plan.device_requests_per_minute).bind(6, p.plan.device_burst).bind(7, p.created_at);
  stmt.run();
}

void SqliteStore::insert_key(const KeyRecord& k) {
  auto writer = db_.writer();
  auto stmt = writer->prepare(
      "INSERT INTO api_keys (id, project_id, role, hash, hint, created_at, revoked_at, label) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  stmt.bind(1, k.id).bind(2, k.project_id).bind(3, stored_role(k.role)).bind(4, k.hash).bind(5, k.hint);
  stmt.bind(6, k.created_at).bind(7, k.revoked_at).bind(8, k.label);
  stmt.run();
}

std::optional<KeyRecord> SqliteStore::find_key_by_hash(std::string_view hash) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kSelectKeys + "WHERE hash = ?");
  stmt.bind(1, hash);
  if (!stmt.step()) return std::nullopt;
  return kKey.read(stmt);
}

std::vector<KeyRecord> SqliteStore::list_keys(std::optional<std::string_view> project_id) {
  auto conn = db_.reader();
  auto stmt = conn->prepare(kSelectKeys + "WHERE (?1 IS NULL OR project_id = ?1) ORDER BY created_at, id");
  if (project_id) {
    stmt.bind(1, *project_id);
  } else {
    stmt.bind_null(1);
  }
  std::vector<KeyRecord> out;
  while (stmt.step()) out.push_back(kKey.read(stmt));
  return out;
}

bool SqliteStore::set_key_label(std::string_view key_id, std::string_view label) {
  auto writer = db_.writer();
  auto update = writer->prepare("UPDATE api_keys SET label = ? WHERE id = ?");
  // A copy: an empty view may have no data, which SQLite would store as NULL.
  update.bind(1, std::string(label)).bind(2, key_id);
  update.run();
  return writer->changes() > 0;
}

bool SqliteStore::revoke_key(std::string_view key_id, std::int64_t now) {
  auto writer = db_.writer();
  auto update = writer->prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?");
  update.bind(1, now).bind(2, key_id);
  update.run();
  return writer->changes() > 0;
}

std::int64_t SqliteStore::count_keys() {
  auto conn = db_.reader();
  auto stmt = conn->prepare("SELECT COUNT(*) FROM api_keys");
  stmt.step();
  return stmt.int64(0);
}

}  // namespace apiota::store::sqlite
