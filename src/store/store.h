#pragma once
// Store: the persistence seam of apiota. Everything the server remembers goes
// through this interface; src/store/sqlite/ implements it on SQLite (the
// embedded default) and a PostgreSQL implementation will follow the same
// contract, checked by one shared conformance suite.
//
// Contract for every implementation:
// - Thread-safe: any method may be called concurrently from worker threads.
//   Methods block on I/O, so callers never invoke them on an I/O thread.
// - A method that returns normally has committed its change durably enough to
//   survive a crash of the process (SQLite: WAL, synchronous=NORMAL).
// - Failures of the database itself (disk full, corruption, lost connection)
//   throw StoreError; "not found" is an empty optional or false, never an
//   exception.
// - Several processes may share one store (the CLI changes data while the
//   server runs); data_version() lets caches notice changes made by others.

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The disk (or quota) holding the store is full: the write was not made.
class StoreFull : public StoreError {
 public:
  using StoreError::StoreError;
};

// Opening a store failed. The message names the database. damaged() tells
// a database that is there but unusable (not a database, corrupt, without
// apiota's tables), which only a backup or starting over can fix, from one
// that could not be reached (permissions, a read-only folder, I/O errors, a
// schema newer than this binary), which the operator fixes in place.
class StoreOpenError : public StoreError {
 public:
  StoreOpenError(const std::string& message, bool damaged) : StoreError(message), damaged_(damaged) {}
  bool damaged() const { return damaged_; }

 private:
  bool damaged_;
};

enum class RegisterOutcome {
  Created,          // a new device row was inserted
  Exists,           // the id is taken; `existing` holds the row so the caller can compare secrets
  PlanLimitReached  // the project already holds max_devices devices
};

struct RegisterResult {
  RegisterOutcome outcome;
  DeviceRecord device;  // the inserted row, or the existing one
};

// catalog: a project's plan, releases or pins changed. devices: a device's
// secret, project, channel, blocked flag or tags changed, or one was deleted.
struct CacheGenerations {
  std::int64_t catalog = 0;
  std::int64_t devices = 0;
  bool operator==(const CacheGenerations&) const = default;
};

struct DeviceQuery {
  std::string project_id;
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The server key fingerprint (a keyed digest, never the key: see
  // docs/security.md) records which server key the store's digests were made
  // with. Records `fingerprint` if the store holds none yet (a new store, or
  // one made before fingerprints existed), atomically, and returns the one
  // the store holds afterwards: `fingerprint` itself, or the one recorded
  // earlier, which the caller compares with its own.
  virtual std::string claim_server_key_fingerprint(std::string_view fingerprint) = 0;

  // Projects. `upsert_project` creates the project or replaces its name and plan.
  virtual std::optional<ProjectRecord> find_project(std::string_view id) = 0;
  virtual std::vector<ProjectRecord> list_projects() = 0;
  virtual void upsert_project(const ProjectRecord& project) = 0;

  // Keys. Lookup is by keyed hash; revoked keys are still returned (callers
  // check revoked_at) so that a revoked key gets a precise error.
  virtual void insert_key(const KeyRecord& key) = 0;
  virtual std::optional<KeyRecord> find_key_by_hash(std::string_view hash) = 0;
  virtual std::vector<KeyRecord> list_keys(std::optional<std::string_view> project_id) = 0;
  // Sets revoked_at unless already revoked; false if no such key.
  virtual bool revoke_key(std::string_view key_id, std::int64_t now) = 0;
  virtual std::int64_t count_keys() = 0;

  // Devices. register_device decides atomically between creating the row,
  // reporting the existing one, and refusing over the plan's device limit.
  virtual RegisterResult register_device(const DeviceRecord& candidate, std::int64_t max_devices) = 0;
  // Both also fill the device's open attempt and rolled-back releases.
  // Bulk enrollment (`apiota devices import`), all of one project: inserts
  // the devices whose id is free, in one transaction, and counts the rest as
  // existing. Nothing is inserted when the project would exceed max_devices.
  struct ImportResult {
    bool within_plan = true;
    std::int64_t created = 0;
    std::int64_t existing = 0;
  };
  virtual ImportResult import_devices(std::span<const DeviceRecord> devices, std::int64_t max_devices) = 0;
  virtual std::optional<DeviceRecord> find_device(std::string_view device_id) = 0;
  virtual std::vector<DeviceRecord> list_devices(const DeviceQuery& query) = 0;
  virtual std::int64_t count_devices(std::string_view project_id) = 0;
  // False if the device does not exist in that project. `reason` is stored
  // with the flag (callers pass "" when unblocking).
  virtual bool set_device_blocked(std::string_view project_id, std::string_view device_id, bool blocked,
                                  std::string_view reason) = 0;
  virtual bool set_device_channel(std::string_view project_id, std::string_view device_id,
                                  std::string_view channel) = 0;
  // Applies check-update observations in one transaction. A reported version
  // only replaces the stored one if it was observed after the stored one was
  // set (an ota-log `done` written meanwhile wins over an older poll).
  virtual void record_seen(std::span<const SeenUpdate> updates) = 0;
  // A device's tags (sorted); set_device_tags replaces them all.
  virtual std::vector<std::string> device_tags(std::string_view device_id) = 0;
  virtual void set_device_tags(std::string_view device_id, std::span<const std::string> tags) = 0;
  // The ids of a project's devices that carry `tag`, sorted.
  virtual std::vector<std::string> device_ids_with_tag(std::string_view project_id, std::string_view tag) = 0;

  // Releases. insert_release stores every field and fills in `id`; false
  // when the project already has that version on that channel.
  virtual bool insert_release(ReleaseRecord& release) = 0;
  virtual std::vector<ReleaseRecord> list_releases(std::string_view project_id) = 0;
  virtual std::optional<ReleaseRecord> find_release_by_filename(std::string_view filename) = 0;
  virtual std::optional<ReleaseRecord> find_release(std::string_view project_id, std::int64_t id) = 0;
  // Replaces the operator-managed fields (state, state_reason, notes, the
  // rollout fields, rollback_target_id, the safety settings and the stage
  // schedule) of `release` and appends `audit`, in one transaction. When the
  // state is "revoked", every update attempt still open on the release ends,
  // in the same transaction, with outcome "revoked" at audit.at. False if
  // the release does not exist in its project.
  virtual bool update_release(const ReleaseRecord& release, const AuditRecord& audit) = 0;
  enum class DeleteOutcome { Deleted, NotFound, InUse };
  // Deletes a release, its ended update attempts, and appends `audit` in one
  // transaction, unless a device of the project reports running its version,
  // a device has an open attempt on it, or another release names it as
  // rollback target (InUse).
  virtual DeleteOutcome delete_release(std::string_view project_id, std::int64_t id, const AuditRecord& audit) = 0;
  // The sha256 of every stored release: blobs are stored by content hash, and
  // a blob no release references is an orphan that start-up cleanup removes.
  virtual std::vector<std::string> referenced_sha256s() = 0;

  // OTA logs. When `new_current_version` is set (a `done` report), the
  // device's firmware version is updated, and `attempt` applied, in the same
  // transaction.
  virtual std::int64_t append_ota_log(const OtaLogRecord& log, std::optional<std::string_view> new_current_version,
                                      const AttemptWrite& attempt) = 0;
  virtual std::vector<OtaLogRecord> list_ota_logs(std::string_view device_id, std::int64_t limit) = 0;

  // Config objects (serialized JSON).
  virtual std::optional<ConfigRecord> project_config(std::string_view project_id) = 0;
  virtual std::optional<ConfigRecord> device_config(std::string_view device_id) = 0;
  virtual void set_project_config(std::string_view project_id, const ConfigRecord& config) = 0;
  virtual void set_device_config(std::string_view device_id, const ConfigRecord& config) = 0;

  // Pins: set_pin creates or replaces; clear_pin is false when there was none.
  virtual std::vector<PinRecord> list_pins(std::string_view project_id) = 0;
  virtual void set_pin(const PinRecord& pin) = 0;
  virtual bool clear_pin(std::string_view project_id, std::string_view scope, std::string_view subject) = 0;

  // Update attempts. apply_attempt_write applies `write` in one transaction:
  // ending the open attempt only if it is still open (a concurrent end wins),
  // and superseding any attempt the device still has open before starting a
  // new open one, so a device never has two. It returns true when it ended
  // the open attempt or started one.
  virtual bool apply_attempt_write(const AttemptWrite& write) = 0;
  // Open attempts, in progress, silent for longer than their release's
  // stuck_after_s at `now`.
  virtual std::vector<AttemptRecord> stale_attempts(std::int64_t now) = 0;
  // The outcomes of a release's last `limit` attempts ended at or after
  // `since`, oldest first, superseded and revoked ones excluded (they are
  // neither successes nor failures).
  virtual std::vector<std::string> recent_attempt_outcomes(std::int64_t release_id, std::int64_t since,
                                                           std::int64_t limit) = 0;
  // How many of a release's attempts succeeded at or after `since`.
  virtual std::int64_t count_successes_since(std::int64_t release_id, std::int64_t since) = 0;
  // Ended attempt counts per release of a project.
  virtual std::vector<ReleaseOutcomes> release_outcomes(std::string_view project_id) = 0;

  // Audit. append_audit fills nothing in; list_audit is newest first and
  // fills actor_label from the key the actor names.
  virtual void append_audit(const AuditRecord& audit) = 0;
  virtual std::vector<AuditRecord> list_audit(std::string_view project_id, std::int64_t limit) = 0;

  // A number that changes whenever any process commits a change to the store.
  // Values are comparable only between calls made on the same thread (each
  // thread watches through its own connection, so the check takes no lock).
  virtual std::uint64_t data_version() = 0;
  // A number that grows after every write this Store object made that moved
  // cache_generations() (committed or not): lock-free, so a cache can notice
  // its own process's changes at once and check data_version() for other
  // processes' changes less often. Writes caches do not depend on (OTA
  // reports, last-seen updates, audit lines) leave it alone.
  virtual std::uint64_t local_cache_changes() = 0;
  // Counters bumped, in the same transaction, by every change in-memory
  // caches depend on (see CacheGenerations), whichever process makes it.
  virtual CacheGenerations cache_generations() = 0;
};

}  // namespace apiota::store
