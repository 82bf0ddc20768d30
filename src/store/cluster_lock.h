#pragma once
// ClusterLock: work that one process at a time may do among all the
// processes sharing a store. The rollout automation (service/
// rollout_service.h) decides under it, so that several nodes never take one
// decision (an automatic pause, a stage advance) twice. A store that one
// server process uses alone (SQLite: one server per data folder) has none:
// Store::cluster_lock() is null, and the process's own mutex suffices.

#include <functional>
#include <string_view>

namespace apiota::store {

class ClusterLock {
 public:
  virtual ~ClusterLock() = default;
  // Runs `work` holding the lock named `name`, once every other process has
  // let it go. Thread-safe; a thread already holding it runs nested work at
  // once. Throws StoreError when the lock cannot be taken; what `work` throws
  // passes through, the lock released.
  virtual void exclusively(std::string_view name, const std::function<void()>& work) = 0;
};

}  // namespace apiota::store
