#pragma once
// Database: the connections of one PostgreSQL store and the rules for using
// them, shared by every aggregate's queries (postgres_store.h).
//
// - Reads run on a pooled connection, one statement each (autocommit).
// - Writes run in a transaction, READ COMMITTED unless the caller asks for
//   SERIALIZABLE, and run again from the start when PostgreSQL reports a
//   serialization failure or a deadlock. SQLite's single writer makes every
//   write take its turn; here concurrent writers (this node's threads and
//   other nodes) meet, so a write that reads before it writes either locks
//   what it reads first (the project row before counting its devices, the
//   device row before moving its attempt) or runs SERIALIZABLE. The counters
//   kept by triggers are single-row increments, which READ COMMITTED
//   queues on the row's lock instead of failing.
// - Cache tracking (store/cache_tracking.h): cache_generation's rows are
//   bumped by triggers, which also notify the channel `apiota_cache`. A
//   listener thread holds one more connection, LISTENs, and re-reads the
//   generations on every notification (and after every reconnect, since
//   notifications sent while it was away are lost); a write of this store
//   that may move them re-reads them after its commit. The numbers the
//   caches check are then in memory: data_version(), local_cache_changes()
//   and cache_generations() take no lock and make no round trip, as a poll
//   on an I/O thread needs.
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "store/cache_tracking.h"
#include "store/postgres/pool.h"

namespace apiota::store::postgres {

class Database {
 public:
  // Connects to `conninfo` and migrates its schema (schema.h). Throws
  // StoreOpenError when the server cannot be reached (not damaged()) or the
  // schema is newer than this binary. `pool_size` connections at most serve
  // the store's calls, besides the listener's own.
  Database(std::string conninfo, std::size_t pool_size);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Whether a write may move cache_generations() (store/cache_tracking.h).
  enum class Caches { Untouched, MayChange };

  // Runs `read` on a pooled connection and returns what it returns.
  template <class Read>
  auto read(Read&& read) {
    auto lease = pool_.lease();
    return read(*lease);
  }

  // Runs `work` in a transaction and commits it, from the start again after
  // a serialization failure or deadlock (a few times, then that error is
  // thrown). `work` returns what write() returns; it must not keep anything
  // from an attempt that was undone.
  template <class Work>
  auto write(Work&& work, Caches caches = Caches::Untouched,
             Transaction::Isolation isolation = Transaction::Isolation::ReadCommitted) {
    using Out = decltype(work(std::declval<Connection&>()));
    if constexpr (std::is_void_v<Out>) {
      in_transaction([&](Connection& conn) { work(conn); }, caches, isolation);
    } else {
      Out out{};
      in_transaction([&](Connection& conn) { out = work(conn); }, caches, isolation);
      return out;
    }
  }

  // ClusterLock::exclusively (store/cluster_lock.h): a session advisory lock
  // on a connection of its own, held while `work` runs.
  void exclusively(std::string_view name, const std::function<void()>& work);

  std::uint64_t data_version() const { return data_version_.load(std::memory_order_acquire); }
  std::uint64_t local_cache_changes() const { return local_cache_changes_.load(std::memory_order_acquire); }
  CacheGenerations cache_generations() const;

 private:
  void in_transaction(const std::function<void(Connection&)>& work, Caches caches, Transaction::Isolation isolation);
  // Reads cache_generation on `conn`; counts a new data version when it moved.
  void refresh_generations(Connection& conn);
  void listen();

  const std::string conninfo_;
  ConnectionPool pool_;
  std::atomic<std::int64_t> catalog_{0};
  std::atomic<std::int64_t> devices_{0};
  std::atomic<std::uint64_t> data_version_{0};
  std::atomic<std::uint64_t> local_cache_changes_{0};
  std::atomic<bool> stopping_{false};
  std::thread listener_;
  std::mutex lock_mutex_;                   // one holder of the cluster lock in this process
  std::unique_ptr<Connection> lock_conn_;   // guarded by lock_mutex_
  std::atomic<std::thread::id> lock_holder_{};
};

}  // namespace apiota::store::postgres
