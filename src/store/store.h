#pragma once
// Store: the persistence seam of apiota. Everything the server remembers goes
// through this interface; src/store/sqlite/ implements it on SQLite (the
// embedded default) and src/store/postgres/ on PostgreSQL (several nodes on
// one database), both checked by one shared conformance suite.
//
// Store is the sum of one interface per aggregate, each in its own header:
// projects and keys (project_store.h), devices (device_store.h), releases
// (release_store.h), pins (pin_store.h), OTA logs and update attempts
// (ota_store.h), config (config_store.h), audit (audit_store.h), console sessions
// (console_session_store.h), fleet statistics (fleet_stats_store.h), and the
// change tracking caches rely on (cache_tracking.h); a shared store also
// keeps the firmware files (firmware_copies.h) and a lock its nodes take
// turns on (cluster_lock.h). Code that needs one
// aggregate may take just its interface.
//
// Contract for every implementation, of every one of those interfaces:
// - Thread-safe: any method may be called concurrently from worker threads.
//   Methods block on I/O, so callers never invoke them on an I/O thread.
// - A method that returns normally has committed its change durably enough to
//   survive a crash of the process (SQLite: WAL, synchronous=NORMAL).
// - Failures of the database itself (disk full, corruption, lost connection)
//   throw StoreError (store_error.h); "not found" is an empty optional or
//   false, never an exception.
// - Several processes may share one store (the CLI changes data while the
//   server runs); data_version() lets caches notice changes made by others.

#include "store/audit_store.h"
#include "store/cache_tracking.h"
#include "store/cluster_lock.h"
#include "store/config_store.h"
#include "store/console_session_store.h"
#include "store/device_store.h"
#include "store/firmware_copies.h"
#include "store/fleet_stats_store.h"
#include "store/ota_store.h"
#include "store/pin_store.h"
#include "store/project_store.h"
#include "store/records.h"
#include "store/release_store.h"
#include "store/store_error.h"

namespace apiota::store {

class Store : public ProjectStore,
              public DeviceStore,
              public ReleaseStore,
              public PinStore,
              public OtaStore,
              public ConfigStore,
              public AuditStore,
              public ConsoleSessionStore,
              public FleetStatsStore,
              public CacheTracking {
 public:
  // The firmware files this store keeps itself, when it is shared by several
  // nodes (firmware_copies.h); null when the data folder holds the only copy.
  virtual FirmwareCopies* firmware_copies() { return nullptr; }
  // The lock its processes take turns on (cluster_lock.h); null when one
  // server process uses the store alone.
  virtual ClusterLock* cluster_lock() { return nullptr; }
};

}  // namespace apiota::store
