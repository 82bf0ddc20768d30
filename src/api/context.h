#pragma once
// Context: what every API handler works with, built once at start-up and
// shared by all worker threads: the services (service/) over one store,
// blob store, server key, settings and Env. Members are thread-safe
// (KeyedHasher and Settings are immutable).

#include <chrono>

#include "blob/blob_store.h"
#include "crypto/keyed_hash.h"
#include "env/env.h"
#include "service/access_control.h"
#include "service/change_feed.h"
#include "service/console_sessions.h"
#include "service/device_service.h"
#include "service/fleet_administration.h"
#include "service/fleet_statistics.h"
#include "service/rollout_service.h"
#include "service/settings.h"
#include "store/store.h"

namespace apiota::api {

struct Context {
  Context(store::Store& store_, blob::BlobStore& blobs_, const crypto::KeyedHasher& hasher_,
          service::Settings settings_, env::Env& env_ = env::system_env())
      : store(store_),
        blobs(blobs_),
        hasher(hasher_),
        settings(std::move(settings_)),
        env(env_),
        access(store_, hasher_, settings, env_),
        sessions(store_, access, env_),
        rollouts(store_, env_, changes),
        devices(store_, blobs_, hasher_, settings, env_, access, rollouts, changes),
        administration(store_, blobs_, hasher_, settings, env_, changes),
        statistics(store_, env_) {}

  store::Store& store;
  blob::BlobStore& blobs;
  const crypto::KeyedHasher& hasher;
  const service::Settings settings;
  env::Env& env;
  service::ChangeFeed changes;  // before the services that note into it
  service::AccessControl access;
  service::ConsoleSessions sessions;
  service::RolloutService rollouts;
  service::DeviceService devices;
  service::FleetAdministration administration;
  service::FleetStatistics statistics;
  const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

}  // namespace apiota::api
