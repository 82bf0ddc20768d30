#pragma once
// SqliteStore: the embedded Store implementation (see store/store.h for the
// contract). One file, WAL mode: a single writer connection serialized by a
// mutex, and a pool of reader connections so reads never wait for writes.
// Several processes (server and CLI) may open the same file; SQLite's locking
// and a 10 s busy timeout arbitrate between them.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace apiota::store::sqlite {

// Whether opening may create apiota's schema in a database that has none.
// RequireExisting is for a file that should already be an apiota database:
// one without the schema is reported as damaged instead of quietly becoming
// an empty store.
enum class SchemaPolicy { CreateIfMissing, RequireExisting };

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the
  // current schema. Throws StoreOpenError, naming `path`, if the file cannot
  // be opened or read, is not an apiota database under RequireExisting, or
  // is newer than this binary. Every connection opens through the SQLite VFS
  // named `vfs` (tests inject faults through one); empty means the default.
  explicit SqliteStore(std::string path, SchemaPolicy policy = SchemaPolicy::CreateIfMissing, std::string vfs = {});
  ~SqliteStore() override;

  std::string claim_server_key_fingerprint(std::string_view fingerprint) override;

  std::optional<ProjectRecord> find_project(std::string_view id) override;
  std::vector<ProjectRecord> list_projects() override;
  void upsert_project(const ProjectRecord& project) override;

  void insert_key(const KeyRecord& key) override;
  std::optional<KeyRecord> find_key_by_hash(std::string_view hash) override;
  std::vector<KeyRecord> list_keys(std::optional<std::string_view> project_id) override;
  bool revoke_key(std::string_view key_id, std::int64_t now) override;
  std::int64_t count_keys() override;

  RegisterResult register_device(const DeviceRecord& candidate, std::int64_t max_devices) override;
  ImportResult import_devices(std::span<const DeviceRecord> devices, std::int64_t max_devices) override;
  std::optional<DeviceRecord> find_device(std::string_view device_id) override;
  std::vector<DeviceRecord> list_devices(const DeviceQuery& query) override;
  std::int64_t count_devices(std::string_view project_id) override;
  bool set_device_blocked(std::string_view project_id, std::string_view device_id, bool blocked,
                          std::string_view reason) override;
  bool set_device_channel(std::string_view project_id, std::string_view device_id,
                          std::string_view channel) override;
  void record_seen(std::span<const SeenUpdate> updates) override;
  std::vector<std::string> device_tags(std::string_view device_id) override;
  void set_device_tags(std::string_view device_id, std::span<const std::string> tags) override;
  std::vector<std::string> device_ids_with_tag(std::string_view project_id, std::string_view tag) override;

  bool insert_release(ReleaseRecord& release) override;
  std::vector<ReleaseRecord> list_releases(std::string_view project_id) override;
  std::optional<ReleaseRecord> find_release_by_filename(std::string_view filename) override;
  std::optional<ReleaseRecord> find_release(std::string_view project_id, std::int64_t id) override;
  bool update_release(const ReleaseRecord& release, const AuditRecord& audit) override;
  DeleteOutcome delete_release(std::string_view project_id, std::int64_t id, const AuditRecord& audit) override;
  std::vector<std::string> referenced_sha256s() override;

  std::int64_t append_ota_log(const OtaLogRecord& log, std::optional<std::string_view> new_current_version,
                              const AttemptWrite& attempt) override;
  std::vector<OtaLogRecord> list_ota_logs(std::string_view device_id, std::int64_t limit) override;

  std::optional<ConfigRecord> project_config(std::string_view project_id) override;
  std::optional<ConfigRecord> device_config(std::string_view device_id) override;
  void set_project_config(std::string_view project_id, const ConfigRecord& config) override;
  void set_device_config(std::string_view device_id, const ConfigRecord& config) override;

  bool apply_attempt_write(const AttemptWrite& write) override;
  std::vector<AttemptRecord> stale_attempts(std::int64_t now) override;
  std::vector<std::string> recent_attempt_outcomes(std::int64_t release_id, std::int64_t since,
                                                   std::int64_t limit) override;
  std::int64_t count_successes_since(std::int64_t release_id, std::int64_t since) override;
  std::vector<ReleaseOutcomes> release_outcomes(std::string_view project_id) override;
  std::vector<PinRecord> list_pins(std::string_view project_id) override;
  void set_pin(const PinRecord& pin) override;
  bool clear_pin(std::string_view project_id, std::string_view scope, std::string_view subject) override;
  void append_audit(const AuditRecord& audit) override;
  std::vector<AuditRecord> list_audit(std::string_view project_id, std::int64_t limit) override;

  std::uint64_t data_version() override;
  std::uint64_t local_cache_changes() override;
  CacheGenerations cache_generations() override;

 private:
  class WriterLock;
  struct QueuedReport;
  class ReaderLease;
  ReaderLease reader();

  std::string path_;
  std::string vfs_;
  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  // This thread's own connection for data_version() and
  // cache_generations(): no lock shared between threads on the hot path.
  Connection& watcher();
  const std::uint64_t serial_;
  bool cache_touched_ = false;  // guarded by writer_mutex_
  std::atomic<std::uint64_t> local_cache_changes_{0};
  std::mutex report_queue_mutex_;
  std::vector<QueuedReport*> report_queue_;  // reports waiting for a group commit
};

}  // namespace apiota::store::sqlite
