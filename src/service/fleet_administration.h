#pragma once
// FleetAdministration: every audited change an operator makes to a fleet,
// and the reads that go with them, for both callers: the admin API (actor:
// the admin key's id, project: the key's) and the CLI (actor kCliActor, any
// project). Both apply the same rules and leave the same audit trail
// (service/audit.h), because both call this and nothing else.
//
// Each method takes the project and the actor per call; the clock of every
// timestamp and the randomness of every key come from the Env it was built
// over. The rules and errors are those of the operations it delegates to:
// releases (service/release_operations.h, release_publication.h), pins
// (pin_operations.h), keys (key_issuer.h, key_revocation.h), devices
// (device_changes.h, device_tags.h), config documents (config_document.h),
// the changelog (changelog.h). Errors are ApiError, std::invalid_argument
// where a method says so, and StoreError.
//
// Deleting a release removes its firmware file unless another release still
// references it (FileRemoval::WithRelease, the server); a CLI process leaves
// the file to the next server start (FileRemoval::AtServerStart), since only
// the server serializes removals with its own uploads' commits (the commit
// lock held here, around both).
//
// Every change it makes is noted in the ChangeFeed it was given
// (service/change_feed.h) once stored, for the console's live events.
//
// Thread-safe as far as the store is: it keeps no state but the commit lock.

#include <boost/json/array.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.h"
#include "crypto/keyed_hash.h"
#include "env/env.h"
#include "service/change_feed.h"
#include "service/key_issuer.h"
#include "service/release_operations.h"
#include "service/release_publication.h"
#include "service/settings.h"
#include "store/store.h"

namespace apiota::service {

// Plan limits to change; unset fields keep their value.
struct PlanChange {
  std::optional<std::int64_t> max_devices;
  std::optional<std::int64_t> max_firmware_bytes;
  std::optional<double> device_requests_per_minute;
  std::optional<double> device_burst;
};

struct FilesCleanedUp {
  std::size_t temp_files = 0;
  std::size_t unreferenced = 0;
};

class FleetAdministration {
 public:
  enum class FileRemoval { WithRelease, AtServerStart };

  FleetAdministration(store::Store& store, blob::BlobStore& blobs, const crypto::KeyedHasher& hasher,
                      Settings settings, env::Env& env, ChangeFeed& changes,
                      FileRemoval removal = FileRemoval::WithRelease);
  FleetAdministration(const FleetAdministration&) = delete;
  FleetAdministration& operator=(const FleetAdministration&) = delete;

  // Projects and plans. bootstrap(): the default project (with the settings'
  // default plan) and, on a store without keys, the first admin key.
  // create_project() throws std::invalid_argument for an id
  // check_project_id() refuses or one that exists; change_plan() for an
  // unknown project or a plan domain::validate_plan() refuses.
  std::optional<IssuedKey> bootstrap();
  static void check_project_id(std::string_view id);
  store::ProjectRecord create_project(std::string_view id, std::string_view name, std::string_view actor);
  store::ProjectRecord change_plan(std::string_view project_id, const PlanChange& change, std::string_view actor);
  std::vector<store::ProjectRecord> list_projects();
  std::optional<store::ProjectRecord> find_project(std::string_view project_id);

  // API keys, audited as "key.create", "key.label" and "key.revoke".
  // label_key() and revoke_key() look only among `project_id`'s keys when
  // one is given (ApiError NOT_FOUND when it has no such key); label_key()
  // checks the label as issue_key() does ("" removes it).
  IssuedKey issue_key(std::string_view project_id, store::KeyRole role, std::string_view label,
                      std::string_view actor);
  store::KeyRecord label_key(std::string_view key_id, std::optional<std::string_view> project_id,
                             std::string_view label, std::string_view actor);
  store::KeyRecord revoke_key(std::string_view key_id, std::optional<std::string_view> project_id,
                              std::string_view actor);
  std::vector<store::KeyRecord> list_keys(std::optional<std::string_view> project_id);

  // Devices: the caller has found the device (and checked its project).
  store::DeviceRecord set_blocked(store::DeviceRecord device, bool blocked, std::string_view reason,
                                  std::string_view actor);
  store::DeviceRecord set_channel(store::DeviceRecord device, std::string_view channel, std::string_view actor);
  std::vector<std::string> replace_tags(const store::DeviceRecord& device, std::span<const std::string> tags,
                                        std::string_view actor);
  // Stores enrolled devices (service/device_enrollment.h) in one transaction
  // within the plan's device limit, audited as one "device.import".
  store::Store::ImportResult import_devices(const store::ProjectRecord& project,
                                            std::span<const store::DeviceRecord> devices, std::string_view actor);
  // Enrols a device for import_devices() (service/device_enrollment.h),
  // registered now, with a fresh salt from the Env.
  store::DeviceRecord enrollment_record(std::string_view project_id, std::string_view device_id,
                                        std::string_view secret, std::optional<std::string_view> firmware_version);
  // Whether `secret` is the device's, compared in constant time
  // (service/credential_hash.h).
  bool holds_secret(const store::DeviceRecord& device, std::string_view secret) const;
  std::optional<store::DeviceRecord> find_device(std::string_view device_id);
  std::vector<std::string> device_ids_with_tag(std::string_view project_id, std::string_view tag);
  std::vector<store::DeviceRecord> list_devices(const store::DeviceQuery& query);
  store::DeviceCount count_matching_devices(const store::DeviceQuery& query, std::int64_t cap);
  std::int64_t count_devices(std::string_view project_id);
  std::vector<std::string> device_tags(std::string_view device_id);
  std::vector<store::OtaLogRecord> ota_logs(std::string_view device_id, std::int64_t limit);
  // The device's update attempts, newest first.
  std::vector<store::AttemptRecord> device_attempts(std::string_view device_id, std::int64_t limit);

  // Config documents (JSON text, checked by make_config_record()), audited
  // as "config.device" and "config.project".
  store::ConfigRecord set_device_config(const store::DeviceRecord& device, std::string_view json_text,
                                        std::string_view actor);
  store::ConfigRecord set_project_config(std::string_view project_id, std::string_view json_text,
                                         std::string_view actor);
  std::optional<store::ConfigRecord> device_config(std::string_view device_id);
  std::optional<store::ConfigRecord> project_config(std::string_view project_id);

  // Pins (service/pin_operations.h).
  store::PinRecord set_pin(std::string_view project_id, domain::PinScope scope, std::string_view subject,
                           std::string_view version, std::string_view actor);
  void clear_pin(std::string_view project_id, domain::PinScope scope, std::string_view subject,
                 std::string_view actor);
  std::vector<store::PinRecord> list_pins(std::string_view project_id);

  // Releases.
  store::ReleaseRecord change_release(std::string_view project_id, std::int64_t id, const ReleaseChange& change,
                                      std::string_view actor, std::string_view action);
  store::ReleaseRecord promote_release(std::string_view project_id, std::int64_t id, std::string_view channel,
                                       std::string_view actor);
  store::ReleaseRecord delete_release(std::string_view project_id, std::int64_t id, std::string_view actor);
  PublishedRelease publish_release(const store::ProjectRecord& project, const ReleaseRequest& request,
                                   ReleaseFile& file, std::string_view actor);
  std::vector<store::ReleaseRecord> list_releases(std::string_view project_id);
  std::optional<store::ReleaseRecord> find_release(std::string_view project_id, std::int64_t id);

  // At server start, before it listens: removes unfinished uploads and, when
  // `references_known` (the database was there before this start and was
  // read), the firmware files no release references; with a shared store,
  // also the store's copies no release references (store/firmware_copies.h).
  FilesCleanedUp clean_up_files(bool references_known);

  // What was done: the changelog (service/changelog.h) and the audit log,
  // newest first.
  boost::json::array changelog(std::string_view project_id);
  std::vector<store::AuditRecord> audit_log(std::string_view project_id, std::int64_t limit);
  std::vector<store::AuditRecord> audit_log(const store::AuditQuery& query);

 private:
  store::Store& store_;
  blob::BlobStore& blobs_;
  const crypto::KeyedHasher& hasher_;
  const Settings settings_;
  env::Env& env_;
  ChangeFeed& changes_;
  const FileRemoval removal_;
  // Serializes the last step of uploads (blob commit + release insert) with
  // blob removals, so a losing duplicate or a deleted release can safely
  // remove a file nobody else references.
  std::mutex commit_mutex_;
};

}  // namespace apiota::service
