#pragma once
// DeviceService: what devices do (docs/api.md, "Device API"): enrol,
// authenticate, poll for an update, report OTA progress, fetch their config
// and download firmware.
//
// It owns the fleet cache (service/fleet_cache.h) and the write-behind
// recorder of polls (service/seen_recorder.h) and is their only user, so
// their coherence is its business: every read it makes through the cache is
// preceded by the cache's sync, and every change it makes to a device's
// update attempts drops that device from the cache.
//
// StoreAccess says whether a call may read the store. MemoryOnly calls never
// block (the http layer makes them on its I/O threads) and return nullopt
// when the answer needs the store; the caller then repeats the call with
// Any on a worker thread. A MemoryOnly call that returns nullopt has counted
// nothing and refused nothing, so the repeated call behaves exactly as if it
// were the only one.
//
// Refusals are thrown as ApiError with the contract's codes; failures of the
// store (StoreError) and of the disk propagate. Thread-safe.
//
// OTA reports, attempts that end and new registrations are noted in the
// ChangeFeed (service/change_feed.h) once stored; check-update's answers
// never touch it.
//
// Registration is implemented in device_registration.cpp, downloads in
// device_downloads.cpp, the rest in device_service.cpp.

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "blob/blob_store.h"
#include "crypto/keyed_hash.h"
#include "domain/ota_status.h"
#include "domain/semver.h"
#include "env/env.h"
#include "service/access_control.h"
#include "service/change_feed.h"
#include "service/effective_config.h"
#include "service/fleet_cache.h"
#include "service/rollout_service.h"
#include "service/seen_recorder.h"
#include "service/settings.h"
#include "store/store.h"

namespace apiota::service {

enum class StoreAccess { MemoryOnly, Any };

// What a device presents to prove who it is.
struct DeviceCredentials {
  std::string device_id;
  std::string secret;
};

// A device that proved who it is. A device recognized from memory is
// settled (no open update attempt, no release refused, no tags) and only
// row_id, device_id, project_id, channel and blocked of `record` are filled.
struct AuthenticatedDevice {
  store::DeviceRecord record;
  bool from_memory = false;
  std::shared_ptr<const ProjectCatalog> catalog;  // from memory: its project's catalog
  std::uint64_t cache_epoch = 0;                  // from the store: the cache's epoch before the read
};

// check-update's answer. `release` is null when there is no update; it
// points into `catalog`, which keeps it alive.
struct UpdateOffer {
  std::shared_ptr<const ProjectCatalog> catalog;
  const store::ReleaseRecord* release = nullptr;
  bool rollback = false;
  std::string url;
};

struct OtaReport {
  domain::OtaStatus status = domain::OtaStatus::Pending;
  std::optional<std::string> from_version;  // normalized, or absent
  std::optional<std::string> to_version;    // normalized, or absent
  std::optional<std::string> message;
};

// A stored OTA report.
struct OtaReceipt {
  std::int64_t id = 0;
  std::string status;
  std::int64_t received_at = 0;
};

struct Registration {
  std::string device_id;
  std::string secret;
  std::string provisioning_key;
  std::optional<std::string> firmware_version;
};

// A download as requested. `operator_key` is set when the request carries
// an operator's credentials (its inner value: the key, when presented in the
// form the API asks for); `device_credentials` when it names a device, read
// only if the rules get that far (reading may throw MISSING_PARAMETER); the
// token_* fields are the parts of a signed URL.
struct DownloadRequest {
  std::string filename;
  std::string address;
  std::optional<std::optional<std::string>> operator_key;
  std::function<DeviceCredentials()> device_credentials;
  std::optional<std::string> token_device;
  std::optional<std::string> token_expiry;
  std::optional<std::string> token_signature;
};

struct DownloadGrant {
  std::shared_ptr<const store::ReleaseRecord> release;
  std::shared_ptr<const blob::OpenBlob> blob;
};

class DeviceService {
 public:
  DeviceService(store::Store& store, blob::BlobStore& blobs, const crypto::KeyedHasher& hasher,
                const Settings& settings, env::Env& env, AccessControl& access, RolloutService& rollouts,
                ChangeFeed& changes);

  // The per-address limit every device call starts with (RATE_LIMITED).
  void limit_address(std::string_view address);

  // Verifies a device against the store: a lock-out after too many wrong
  // secrets (RATE_LIMITED; the secret is not checked then), DEVICE_NOT_FOUND,
  // INVALID_SECRET (counted towards the lock-out), DEVICE_BLOCKED, then the
  // per-device rate limit of its plan (RATE_LIMITED).
  AuthenticatedDevice authenticate(const DeviceCredentials& credentials, std::string_view address);
  // The same from memory alone, for a settled device whose project catalog
  // is cached, with no failed authentication on record and the right secret;
  // nullopt otherwise (nothing counted). A locked-out device is never
  // recognized, so neither the answer nor its timing tells a guesser whether
  // a secret sent to it was right. Call admit() before acting for it.
  std::optional<AuthenticatedDevice> recognize(std::string_view device_id, std::optional<std::string_view> secret);
  // What authenticate() checks after the secret: DEVICE_BLOCKED, the
  // per-device rate limit.
  void admit(const AuthenticatedDevice& device);

  // Decides the update for `device` running `current` (domain/
  // release_decision.h), records the poll (write-behind) and follows the
  // device's update attempt. The offer's URL starts with url_base(), called
  // only when there is an offer.
  UpdateOffer check_update(const AuthenticatedDevice& device, const domain::SemVer& current,
                           std::string_view address, const std::function<std::string()>& url_base);

  // Stores an OTA report synchronously, follows the device's update attempt
  // (domain/update_attempt.h) and lets the rollout automation react.
  OtaReceipt report_ota(const AuthenticatedDevice& device, const OtaReport& report);

  DeviceConfig config(const AuthenticatedDevice& device);

  // Enrols a device with a provisioning key, or confirms one registered
  // before with the same secret (docs/api.md, "POST /api/register").
  store::DeviceRecord register_device(const Registration& registration, std::string_view address);

  // Who may download: an admin key of the release's project; a device of that
  // project with its credentials; a signed URL from check-update; or anyone
  // when downloads are public. A revoked release is served to operators only.
  std::optional<DownloadGrant> download(const DownloadRequest& request, StoreAccess access);

  // Writes the polls still pending; returns how many devices were written.
  std::size_t flush_polls();
  // Flushes and stops the recorder's thread (at shutdown). Idempotent.
  void stop();

 private:
  void follow_attempt(const store::DeviceRecord& device, const ProjectCatalog& catalog,
                      const domain::SemVer& current, std::int64_t now, domain::DeviceView& view);
  store::DeviceRecord registered_again(const store::DeviceRecord& device, std::string_view secret,
                                       std::string_view address);

  store::Store& store_;
  blob::BlobStore& blobs_;
  const crypto::KeyedHasher& hasher_;
  const Settings& settings_;
  env::Env& env_;
  AccessControl& access_;
  RolloutService& rollouts_;
  ChangeFeed& changes_;
  FleetCache fleet_;
  SeenRecorder seen_;
};

}  // namespace apiota::service
