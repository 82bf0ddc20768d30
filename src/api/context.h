#pragma once
// Context: the services every API handler works with, built once at start-up
// and shared by all worker threads. Members are thread-safe (Store, BlobStore,
// RateLimiter, FailureLimiter, SeenRecorder, FleetCache and RolloutAutomation are; KeyedHasher and
// Settings are immutable).

#include <chrono>
#include <mutex>

#include "service/fleet_cache.h"
#include "service/rollout_automation.h"
#include "service/seen_recorder.h"
#include "service/settings.h"
#include "blob/blob_store.h"
#include "crypto/keyed_hash.h"
#include "domain/failure_limiter.h"
#include "domain/rate_limiter.h"
#include "store/store.h"

namespace apiota::api {

struct Context {
  Context(store::Store& store_, blob::BlobStore& blobs_, const crypto::KeyedHasher& hasher_, service::Settings settings_)
      : store(store_),
        blobs(blobs_),
        hasher(hasher_),
        settings(std::move(settings_)),
        device_auth_failures(settings.auth_failures),
        key_auth_failures(settings.auth_failures),
        seen(store_, settings.seen_flush_interval),
        fleet(store_),
        automation(store_) {}

  store::Store& store;
  blob::BlobStore& blobs;
  const crypto::KeyedHasher& hasher;
  const service::Settings settings;
  domain::RateLimiter device_limiter;
  domain::RateLimiter address_limiter;
  // Failed authentications (api/auth_failures.h): by device id, and by
  // client address for admin and provisioning keys.
  domain::FailureLimiter device_auth_failures;
  domain::FailureLimiter key_auth_failures;
  service::SeenRecorder seen;
  service::FleetCache fleet;
  service::RolloutAutomation automation;
  const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  // Serializes the last step of uploads (blob commit + release insert) so a
  // losing duplicate can safely remove a blob nobody else references.
  std::mutex release_commit_mutex;
};

}  // namespace apiota::api
