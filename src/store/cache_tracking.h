#pragma once
// CacheTracking: how in-memory caches (api/fleet_cache.h) notice that what
// they hold changed, whichever process changed it. Several processes may
// share one store (the CLI changes data while the server runs), so a cache
// cannot rely on seeing every write itself. Thread-safe; the checks are meant
// for hot paths and take no lock shared between threads.

#include <cstdint>

namespace apiota::store {

// catalog: a project's plan, releases or pins changed. devices: a device's
// secret, project, channel, blocked flag or tags changed, or one was deleted.
struct CacheGenerations {
  std::int64_t catalog = 0;
  std::int64_t devices = 0;
  bool operator==(const CacheGenerations&) const = default;
};

class CacheTracking {
 public:
  virtual ~CacheTracking() = default;

  // A number that changes whenever cache_generations() moves, whichever
  // process moved it (SQLite: on every commit of any process). Values are
  // comparable only between calls made on the same thread (SQLite watches
  // through one connection per thread, so the check takes no lock). Another
  // process's change may take a moment to show (PostgreSQL: until its
  // notification arrives, milliseconds after the commit).
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
