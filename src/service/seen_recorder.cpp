#include "service/seen_recorder.h"

#include <spdlog/spdlog.h>

#include <vector>

namespace apiota::service {

SeenRecorder::SeenRecorder(store::Store& store, std::chrono::milliseconds interval)
    : store_(store), interval_(interval), thread_([this] { run(); }) {}

SeenRecorder::~SeenRecorder() { stop(); }

void SeenRecorder::record(store::SeenUpdate update) {
  std::lock_guard lock(mutex_);
  // try_emplace leaves `update` alone when the device has an entry already.
  const std::int64_t row_id = update.device_row_id;
  auto [it, inserted] = pending_.try_emplace(row_id, std::move(update));
  if (!inserted && it->second.seen_at <= update.seen_at) it->second = std::move(update);
}

std::size_t SeenRecorder::flush() {
  // One flush at a time keeps batches in time order: an older batch can never
  // land after a newer one.
  std::lock_guard flush_lock(flush_mutex_);
  std::vector<store::SeenUpdate> batch;
  {
    std::lock_guard lock(mutex_);
    batch.reserve(pending_.size());
    for (auto& [id, update] : pending_) batch.push_back(std::move(update));
    pending_.clear();
  }
  try {
    store_.record_seen(batch);
  } catch (const store::StoreError& e) {
    spdlog::error("could not record {} device observations: {}", batch.size(), e.what());
    std::lock_guard lock(mutex_);
    for (auto& update : batch) pending_.try_emplace(update.device_row_id, std::move(update));
    return 0;
  }
  return batch.size();
}

void SeenRecorder::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  flush();
}

void SeenRecorder::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace apiota::service
