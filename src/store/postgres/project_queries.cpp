// ProjectStore on PostgreSQL: projects, API keys and the server key fingerprint.

#include "store/postgres/postgres_store.h"
#include "store/record_columns.h"

namespace apiota::store::postgres {
namespace {

const std::string kSelectProjects = "SELECT " + project_columns().select_list() + " FROM projects ";
const std::string kSelectKeys = "SELECT " + key_columns().select_list() + " FROM api_keys ";

constexpr std::string_view kFingerprintName = "server_key_fingerprint";

}  // namespace

std::string PostgresStore::claim_server_key_fingerprint(std::string_view fingerprint) {
  // The first node to claim it records it; every later claim reads that one.
  return db_.write([&](Connection& conn) {
    conn.exec("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
              Params().add(kFingerprintName).add(fingerprint));
    Result recorded = conn.exec("SELECT value FROM meta WHERE name = $1", Params().add(kFingerprintName));
    return recorded.next() ? recorded.text(0) : std::string(fingerprint);
  });
}

std::optional<ProjectRecord> PostgresStore::find_project(std::string_view id) {
  return db_.read([&](Connection& conn) -> std::optional<ProjectRecord> {
    Result r = conn.exec(kSelectProjects + "WHERE id = $1", Params().add(id));
    if (!r.next()) return std::nullopt;
    return project_columns().read(r);
  });
}

std::vector<ProjectRecord> PostgresStore::list_projects() {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec(kSelectProjects + "ORDER BY id");
    std::vector<ProjectRecord> out;
    while (r.next()) out.push_back(project_columns().read(r));
    return out;
  });
}

void PostgresStore::upsert_project(const ProjectRecord& p) {
  db_.write(
      [&](Connection& conn) {
        conn.exec(
            "INSERT INTO projects (id, name, max_devices, max_firmware_bytes, device_requests_per_minute, "
            "device_burst, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET "
            "name = excluded.name, max_devices = excluded.max_devices, "
            "max_firmware_bytes = excluded.max_firmware_bytes, "
            "device_requests_per_minute = excluded.device_requests_per_minute, device_burst = excluded.device_burst",
            Params()
                .add(p.id)
                .add(p.name)
                .add(p.plan.max_devices)
                .add(p.plan.max_firmware_bytes)
                .add(p.plan.device_requests_per_minute)
                .add(p.plan.device_burst)
                .add(p.created_at));
      },
      Database::Caches::MayChange);
}

void PostgresStore::insert_key(const KeyRecord& k) {
  db_.write([&](Connection& conn) {
    conn.exec(
        "INSERT INTO api_keys (id, project_id, role, hash, hint, created_at, revoked_at, label) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Params()
            .add(k.id)
            .add(k.project_id)
            .add(stored_role(k.role))
            .add(k.hash)
            .add(k.hint)
            .add(k.created_at)
            .add(k.revoked_at)
            .add(k.label));
  });
}

std::optional<KeyRecord> PostgresStore::find_key_by_hash(std::string_view hash) {
  return db_.read([&](Connection& conn) -> std::optional<KeyRecord> {
    Result r = conn.exec(kSelectKeys + "WHERE hash = $1", Params().add(hash));
    if (!r.next()) return std::nullopt;
    return key_columns().read(r);
  });
}

std::vector<KeyRecord> PostgresStore::list_keys(std::optional<std::string_view> project_id) {
  return db_.read([&](Connection& conn) {
    Params params;
    if (project_id) {
      params.add(*project_id);
    } else {
      params.add_null();
    }
    Result r = conn.exec(kSelectKeys + "WHERE ($1::text IS NULL OR project_id = $1) ORDER BY created_at, id", params);
    std::vector<KeyRecord> out;
    while (r.next()) out.push_back(key_columns().read(r));
    return out;
  });
}

bool PostgresStore::set_key_label(std::string_view key_id, std::string_view label) {
  return db_.write([&](Connection& conn) {
    return conn.exec("UPDATE api_keys SET label = $1 WHERE id = $2", Params().add(label).add(key_id)).affected() > 0;
  });
}

bool PostgresStore::revoke_key(std::string_view key_id, std::int64_t now) {
  return db_.write([&](Connection& conn) {
    return conn
               .exec("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
                     Params().add(now).add(key_id))
               .affected() > 0;
  });
}

std::int64_t PostgresStore::count_keys() {
  return db_.read([&](Connection& conn) {
    Result r = conn.exec("SELECT COUNT(*) FROM api_keys");
    r.next();
    return r.int64(0);
  });
}

}  // namespace apiota::store::postgres
