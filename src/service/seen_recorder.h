#pragma once
// SeenRecorder: write-behind for check-update observations (reported
// version, last-seen time, client address).
//
// Devices poll every few minutes; writing each poll synchronously would make
// every poll a disk write. record() only updates an in-memory map (the newest
// observation per device wins) and a background thread hands the batch to
// Store::record_seen() every `interval`. stop() (and the destructor) flush what
// is pending, so a graceful shutdown loses nothing; a crash loses at most the
// last `interval` of last-seen data, never a registration, upload or OTA log,
// which are written synchronously. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/store.h"

namespace apiota::service {

class SeenRecorder {
 public:
  SeenRecorder(store::Store& store, std::chrono::milliseconds interval);
  SeenRecorder(const SeenRecorder&) = delete;
  SeenRecorder& operator=(const SeenRecorder&) = delete;
  ~SeenRecorder();

  void record(store::SeenUpdate update);
  // Writes everything pending now; returns how many devices were written.
  std::size_t flush();
  // Stops the background thread after a final flush. Idempotent.
  void stop();

 private:
  void run();

  store::Store& store_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::unordered_map<std::int64_t, store::SeenUpdate> pending_;
  std::mutex flush_mutex_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace apiota::service
