#pragma once
// PostgresStore: the Store on PostgreSQL (see store/store.h for the
// contract), for several apiota nodes sharing one database. The connections
// and the rules for using them are the Database (database.h): reads on pooled
// connections, writes in transactions that lock what they read and are
// retried on conflict, cache tracking from LISTEN/NOTIFY. The queries of each aggregate live in a
// file of their own, named as SQLite's are (store/sqlite/sqlite_store.h); rows
// are read through the shared column lists (store/record_columns.h).

#include <string>

#include "store/postgres/database.h"
#include "store/store.h"

namespace apiota::store::postgres {

class PostgresStore final : public Store, public FirmwareCopies, public ClusterLock {
 public:
  // Connects to `conninfo` (a postgres:// URI) with at most `pool_size`
  // connections and brings its schema to this binary's (schema.h). Throws
  // StoreOpenError when the server cannot be reached or its schema is newer.
  PostgresStore(std::string conninfo, std::size_t pool_size) : db_(std::move(conninfo), pool_size) {}

  // ProjectStore
  std::string claim_server_key_fingerprint(std::string_view fingerprint) override;
  std::optional<ProjectRecord> find_project(std::string_view id) override;
  std::vector<ProjectRecord> list_projects() override;
  void upsert_project(const ProjectRecord& project) override;
  void insert_key(const KeyRecord& key) override;
  std::optional<KeyRecord> find_key_by_hash(std::string_view hash) override;
  std::vector<KeyRecord> list_keys(std::optional<std::string_view> project_id) override;
  bool set_key_label(std::string_view key_id, std::string_view label) override;
  bool revoke_key(std::string_view key_id, std::int64_t now) override;
  std::int64_t count_keys() override;

  // DeviceStore
  RegisterResult register_device(const DeviceRecord& candidate, std::int64_t max_devices) override;
  ImportResult import_devices(std::span<const DeviceRecord> devices, std::int64_t max_devices) override;
  std::optional<DeviceRecord> find_device(std::string_view device_id) override;
  std::vector<DeviceRecord> list_devices(const DeviceQuery& query) override;
  DeviceCount count_matching_devices(const DeviceQuery& query, std::int64_t cap) override;
  std::int64_t count_devices(std::string_view project_id) override;
  bool set_device_blocked(std::string_view project_id, std::string_view device_id, bool blocked,
                          std::string_view reason) override;
  bool set_device_channel(std::string_view project_id, std::string_view device_id,
                          domain::Channel channel) override;
  void record_seen(std::span<const SeenUpdate> updates) override;
  std::vector<std::string> device_tags(std::string_view device_id) override;
  void set_device_tags(std::string_view device_id, std::span<const std::string> tags) override;
  std::vector<std::string> device_ids_with_tag(std::string_view project_id, std::string_view tag) override;

  // ReleaseStore
  bool insert_release(ReleaseRecord& release, const AuditOfInsert& audit_of) override;
  std::vector<ReleaseRecord> list_releases(std::string_view project_id) override;
  std::optional<ReleaseRecord> find_release_by_filename(std::string_view filename) override;
  std::optional<ReleaseRecord> find_release(std::string_view project_id, std::int64_t id) override;
  bool update_release(const ReleaseRecord& release, const AuditRecord& audit) override;
  DeleteOutcome delete_release(std::string_view project_id, std::int64_t id, const AuditRecord& audit) override;
  std::vector<std::string> referenced_sha256s() override;

  // PinStore
  std::vector<PinRecord> list_pins(std::string_view project_id) override;
  void set_pin(const PinRecord& pin) override;
  bool clear_pin(std::string_view project_id, domain::PinScope scope, std::string_view subject) override;

  // OtaStore
  std::int64_t append_ota_log(const OtaLogRecord& log, std::optional<std::string_view> new_current_version,
                              const AttemptWrite& attempt) override;
  std::vector<OtaLogRecord> list_ota_logs(std::string_view device_id, std::int64_t limit) override;
  bool apply_attempt_write(const AttemptWrite& write) override;
  std::vector<AttemptRecord> device_attempts(std::string_view device_id, std::int64_t limit) override;
  std::vector<AttemptRecord> stale_attempts(std::int64_t now) override;
  std::vector<domain::AttemptEnd> recent_attempt_outcomes(std::int64_t release_id, std::int64_t since,
                                                          std::int64_t limit) override;
  std::int64_t count_successes_since(std::int64_t release_id, std::int64_t since) override;
  std::vector<ReleaseOutcomes> release_outcomes(std::string_view project_id) override;

  // ConfigStore
  std::optional<ConfigRecord> project_config(std::string_view project_id) override;
  std::optional<ConfigRecord> device_config(std::string_view device_id) override;
  void set_project_config(std::string_view project_id, const ConfigRecord& config) override;
  void set_device_config(std::string_view device_id, const ConfigRecord& config) override;

  // AuditStore
  void append_audit(const AuditRecord& audit) override;
  std::vector<AuditRecord> list_audit(std::string_view project_id, std::int64_t limit) override;
  std::vector<AuditRecord> find_audit(const AuditQuery& query) override;

  // ConsoleSessionStore
  void insert_console_session(const ConsoleSessionRecord& session) override;
  std::optional<ConsoleSessionLookup> find_console_session(std::string_view token_hash) override;
  bool touch_console_session(std::string_view token_hash, std::int64_t last_used_at) override;
  bool delete_console_session(std::string_view token_hash) override;
  std::int64_t delete_ended_console_sessions(std::int64_t now, std::int64_t idle_cutoff) override;

  // FleetStatsStore
  FleetCounts fleet_counts(std::string_view project_id, std::int64_t seen_since_hour,
                           std::int64_t seen_since_day) override;
  std::vector<VersionCount> version_counts(std::string_view project_id) override;
  std::vector<OutcomeCount> outcome_counts(std::string_view project_id, std::int64_t since,
                                           std::int64_t bucket_ms) override;
  AttemptCounts attempt_counts(std::int64_t release_id) override;
  bool has_open_attempt(std::int64_t release_id) override;
  void for_each_unblocked_device(std::string_view project_id, std::span<const domain::Channel> channels,
                                 std::span<const std::string> tags,
                                 const std::function<void(std::string_view device_id)>& visit) override;
  std::int64_t count_unblocked_devices(std::string_view project_id, std::span<const domain::Channel> channels,
                                       std::span<const std::string> tags) override;

  // CacheTracking
  std::uint64_t data_version() override;
  std::uint64_t local_cache_changes() override;
  CacheGenerations cache_generations() override;

  // FirmwareCopies
  FirmwareCopies* firmware_copies() override { return this; }
  void put_firmware(std::string_view sha256, const domain::ByteSource& bytes) override;
  bool read_firmware(std::string_view sha256,
                     const std::function<void(std::span<const std::uint8_t>)>& sink) override;
  std::int64_t remove_unreferenced_firmware() override;

  // ClusterLock
  ClusterLock* cluster_lock() override { return this; }
  void exclusively(std::string_view name, const std::function<void()>& work) override {
    db_.exclusively(name, work);
  }

 private:
  // import_devices' transaction; throws out of it when over the plan.
  ImportResult import_within_plan(std::span<const DeviceRecord> devices, std::int64_t max_devices);

  Database db_;
};

}  // namespace apiota::store::postgres
