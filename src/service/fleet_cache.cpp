#include "service/fleet_cache.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>

#include "service/release_view.h"

namespace apiota::service {

namespace {

std::uint64_t next_cache_serial() {
  static std::atomic<std::uint64_t> serial{0};
  return ++serial;
}

}  // namespace

FleetCache::FleetCache(store::Store& store, env::Env& env)
    : store_(store), env_(env), serial_(next_cache_serial()) {}

const store::ReleaseRecord* ProjectCatalog::record(std::int64_t release_id) const {
  auto found = std::find_if(records.begin(), records.end(),
                            [&](const store::ReleaseRecord& r) { return r.id == release_id; });
  return found == records.end() ? nullptr : &*found;
}

void FleetCache::sync() {
  // What this thread last checked (data_version() is per thread).
  struct Seen {
    std::uint64_t cache = 0;
    std::uint64_t local_changes = 0;
    std::uint64_t version = 0;
    std::chrono::steady_clock::time_point checked_at;
  };
  thread_local Seen seen;
  // Read before data_version(): a write after this read moves it again.
  const std::uint64_t local = store_.local_cache_changes();
  const auto checked_at = env_.steady_now();
  if (seen.cache == serial_ && seen.local_changes == local && checked_at - seen.checked_at < kRecheckInterval) return;
  const std::uint64_t version = store_.data_version();
  if (seen.cache == serial_ && seen.version == version) {
    seen.local_changes = local;
    seen.checked_at = checked_at;
    return;
  }
  const store::CacheGenerations now = store_.cache_generations();
  {
    std::lock_guard lock(sync_mutex_);
    // Generations only grow; a thread holding an older reading changes nothing.
    if (!synced_ || now.catalog > generations_.catalog) {
      std::unique_lock catalogs(catalogs_mutex_);
      ++catalog_epoch_;
      catalogs_.clear();
      release_files_.clear();
    }
    if (!synced_ || now.devices > generations_.devices) drop_devices();
    generations_.catalog = std::max(generations_.catalog, now.catalog);
    generations_.devices = std::max(generations_.devices, now.devices);
    synced_ = true;
  }
  seen = {serial_, local, version, checked_at};
}

std::shared_ptr<const ProjectCatalog> FleetCache::find_catalog(std::string_view project_id) const {
  std::shared_lock lock(catalogs_mutex_);
  auto found = catalogs_.find(std::string(project_id));
  return found == catalogs_.end() ? nullptr : found->second;
}

template <class Value, class Read>
std::shared_ptr<const Value> FleetCache::find_or_read(
    std::unordered_map<std::string, std::shared_ptr<const Value>>& map, std::string_view key, Read read) {
  std::uint64_t before;
  {
    std::shared_lock lock(catalogs_mutex_);
    auto found = map.find(std::string(key));
    if (found != map.end()) return found->second;
    before = catalog_epoch_;
  }
  std::shared_ptr<const Value> value = read();
  if (!value) return nullptr;
  std::unique_lock lock(catalogs_mutex_);
  if (catalog_epoch_ == before) map.emplace(std::string(key), value);
  return value;
}

std::shared_ptr<const ProjectCatalog> FleetCache::load_catalog(std::string_view project_id) {
  return find_or_read(catalogs_, project_id, [&]() -> std::shared_ptr<const ProjectCatalog> {
    auto project = store_.find_project(project_id);
    if (!project) return nullptr;
    auto catalog = std::make_shared<ProjectCatalog>();
    catalog->project = std::move(*project);
    catalog->records = store_.list_releases(project_id);
    catalog->pins = store_.list_pins(project_id);
    for (const auto& record : catalog->records) {
      if (auto view = release_view(record)) catalog->views.push_back(std::move(*view));
    }
    return catalog;
  });
}

std::shared_ptr<const store::ReleaseRecord> FleetCache::find_release_file(std::string_view filename) const {
  std::shared_lock lock(catalogs_mutex_);
  auto found = release_files_.find(std::string(filename));
  return found == release_files_.end() ? nullptr : found->second;
}

std::shared_ptr<const store::ReleaseRecord> FleetCache::load_release_file(std::string_view filename) {
  return find_or_read(release_files_, filename, [&]() -> std::shared_ptr<const store::ReleaseRecord> {
    auto record = store_.find_release_by_filename(filename);
    if (!record) return nullptr;
    return std::make_shared<const store::ReleaseRecord>(std::move(*record));
  });
}

FleetCache::Shard& FleetCache::shard_of(std::string_view device_id) const {
  return shards_[std::hash<std::string_view>{}(device_id) % kShards];
}

std::optional<DeviceEntry> FleetCache::find_device(std::string_view device_id) const {
  Shard& shard = shard_of(device_id);
  std::shared_lock lock(shard.mutex);
  auto found = shard.devices.find(std::string(device_id));
  if (found == shard.devices.end()) return std::nullopt;
  return found->second;
}

void FleetCache::offer_device(const store::DeviceRecord& device, bool has_tags, std::uint64_t epoch) {
  if (device.open_attempt || !device.rolled_back_release_ids.empty() || has_tags) return;
  DeviceEntry entry{device.row_id, device.project_id, device.channel, device.blocked, {}, {}};
  if (device.secret_salt.size() != entry.secret_salt.size() || device.secret_hash.size() != entry.secret_hash.size()) {
    return;
  }
  std::copy(device.secret_salt.begin(), device.secret_salt.end(), entry.secret_salt.begin());
  std::copy(device.secret_hash.begin(), device.secret_hash.end(), entry.secret_hash.begin());
  Shard& shard = shard_of(device.device_id);
  std::unique_lock lock(shard.mutex);
  if (shard.epoch != epoch) return;
  shard.devices.insert_or_assign(device.device_id, std::move(entry));
}

void FleetCache::forget_device(std::string_view device_id) {
  Shard& shard = shard_of(device_id);
  std::unique_lock lock(shard.mutex);
  ++shard.epoch;
  shard.devices.erase(std::string(device_id));
}

std::uint64_t FleetCache::device_epoch(std::string_view device_id) const {
  Shard& shard = shard_of(device_id);
  std::shared_lock lock(shard.mutex);
  return shard.epoch;
}

void FleetCache::drop_devices() {
  for (auto& shard : shards_) {
    std::unique_lock lock(shard.mutex);
    ++shard.epoch;
    shard.devices.clear();
  }
}

}  // namespace apiota::service
