#pragma once
// FleetCache: in-memory copies of what check-update reads on every poll, kept
// coherent with the store, so a poll of a known device needs no database read.
//
// It holds per project a ProjectCatalog (the project with its plan, its
// releases with their domain views, its pins), releases by download file
// name (dropped with the catalogs), and per device a DeviceEntry
// (what authenticates it and decides its update). Only *settled* devices
// are cached: no open update attempt, no release rolled back by its
// bootloader, no tags. Anything else is answered from the store every time
// (those states are short-lived or rare).
//
// Coherence:
// - sync() must be called before find_*(). It checks for commits since this
//   thread's last check (Store::data_version) when this process changed
//   cached data since (Store::local_cache_changes, lock-free), and otherwise at least
//   every kRecheckInterval of the Env's steady clock; a check that finds commits reads the store's
//   cache generations and drops the catalogs and/or device entries whose
//   generation grew. So this process's own changes apply to the next
//   request, and another process's changes to every request that starts
//   kRecheckInterval after they were committed: the CLI waits that long
//   before it exits after a change (cli/data_folder.h). Checks go through
//   the thread's own connection and are served from memory (the WAL index
//   and the page cache), so sync() is safe on an I/O thread.
// - forget_device() drops one device after this process changed its update
//   attempts (which do not move a generation).
// - A load that raced with a drop (it read the store before the drop and
//   would insert after it) is not inserted: every drop advances an epoch
//   (one for catalogs, one per shard of devices), and a load inserts only if
//   its epoch did not move while it read.
//
// find_*() never touch the store and may be called on I/O threads; load_*()
// read the store on a miss (call them on worker threads) and may throw
// StoreError. All methods are thread-safe.

#include <array>
#include <chrono>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/channel.h"
#include "domain/release_decision.h"
#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

inline constexpr std::chrono::milliseconds kRecheckInterval{20};

struct ProjectCatalog {
  store::ProjectRecord project;
  std::vector<store::ReleaseRecord> records;  // newest first
  std::vector<domain::ReleaseView> views;     // the records that parse
  std::vector<store::PinRecord> pins;

  const store::ReleaseRecord* record(std::int64_t release_id) const;
};

// Fixed-size fields keep an entry near 130 bytes (about 200 with the map's
// node), so a million cached devices stay within a few hundred MB.
struct DeviceEntry {
  std::int64_t row_id = 0;
  std::string project_id;  // project ids are short: usually no allocation
  domain::Channel channel = domain::Channel::Stable;
  bool blocked = false;
  std::array<char, 16> secret_salt{};  // devices with another salt length are not cached
  std::array<char, 64> secret_hash{};  // lowercase hex HMAC-SHA-256

  std::string_view salt() const { return {secret_salt.data(), secret_salt.size()}; }
  std::string_view hash() const { return {secret_hash.data(), secret_hash.size()}; }
};

class FleetCache {
 public:
  // `store` and `env` must outlive the cache.
  FleetCache(store::Store& store, env::Env& env);

  void sync();

  std::shared_ptr<const ProjectCatalog> find_catalog(std::string_view project_id) const;
  std::shared_ptr<const ProjectCatalog> load_catalog(std::string_view project_id);

  // Releases by download file name (any project).
  std::shared_ptr<const store::ReleaseRecord> find_release_file(std::string_view filename) const;
  std::shared_ptr<const store::ReleaseRecord> load_release_file(std::string_view filename);

  std::optional<DeviceEntry> find_device(std::string_view device_id) const;
  // Caches `device` (as just read from the store) if it is settled and its
  // shard dropped nothing since `epoch` (device_epoch() taken before the read).
  void offer_device(const store::DeviceRecord& device, bool has_tags, std::uint64_t epoch);
  void forget_device(std::string_view device_id);
  std::uint64_t device_epoch(std::string_view device_id) const;


 private:
  static constexpr std::size_t kShards = 64;
  struct Shard {
    mutable std::shared_mutex mutex;
    std::uint64_t epoch = 0;  // guarded by mutex
    std::unordered_map<std::string, DeviceEntry> devices;
  };
  Shard& shard_of(std::string_view device_id) const;
  void drop_devices();
  // The entry of `map` (guarded by catalogs_mutex_) under `key`; on a miss,
  // read() from the store and keep the result unless a drop of the catalogs
  // ran meanwhile (catalog_epoch_ moved). Null when read() finds nothing.
  template <class Value, class Read>
  std::shared_ptr<const Value> find_or_read(std::unordered_map<std::string, std::shared_ptr<const Value>>& map,
                                            std::string_view key, Read read);

  store::Store& store_;
  env::Env& env_;
  const std::uint64_t serial_;  // tells this cache's per-thread state apart
  std::mutex sync_mutex_;
  bool synced_ = false;                  // guarded by sync_mutex_
  store::CacheGenerations generations_;  // guarded by sync_mutex_
  mutable std::shared_mutex catalogs_mutex_;
  std::uint64_t catalog_epoch_ = 0;  // guarded by catalogs_mutex_
  std::unordered_map<std::string, std::shared_ptr<const ProjectCatalog>> catalogs_;
  std::unordered_map<std::string, std::shared_ptr<const store::ReleaseRecord>> release_files_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace apiota::service
