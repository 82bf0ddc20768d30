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
#include <exception>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

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

  // Group commit, for the writes many devices make at once (registrations,
  // OTA reports): as write(), but in a transaction shared with the work
  // other callers of this node queued meanwhile. One batch is written at a
  // time per node; a caller queues its work, and the first to find no batch
  // in flight writes every queued work, each in a savepoint of its own, and
  // commits them together: the rows they all lock (a project's, a release's
  // counters) are locked once a batch, and the batch waits for one WAL
  // flush. Nobody returns before its work is committed. Work that throws is
  // undone alone and throws from its own caller only (after a serialization
  // failure or deadlock it is run again in its savepoint first, as write()
  // would); a failed commit, or a lost connection, throws from every caller
  // whose work was in the batch. Alone in its batch, work runs as write()'s.
  template <class Work>
  auto write_grouped(Work&& work) {
    using Out = decltype(work(std::declval<Connection&>()));
    if constexpr (std::is_void_v<Out>) {
      commit_grouped([&](Connection& conn) { work(conn); });
    } else {
      Out out{};
      commit_grouped([&](Connection& conn) { out = work(conn); });
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
  struct QueuedWork {
    const std::function<void(Connection&)>* work;
    bool done = false;
    std::exception_ptr error;
  };

  void in_transaction(const std::function<void(Connection&)>& work, Caches caches, Transaction::Isolation isolation);
  void commit_grouped(const std::function<void(Connection&)>& work);
  // Runs one queued work of a batch in a savepoint; its failure is kept in
  // `queued` and undone, the connection's failure thrown.
  static void run_in_savepoint(Connection& conn, QueuedWork& queued);
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
  std::mutex batch_mutex_;  // one batch of grouped work written at a time
  std::mutex queue_mutex_;
  std::vector<QueuedWork*> queue_;  // grouped work waiting for a batch, guarded by queue_mutex_
  std::mutex lock_mutex_;                   // one holder of the cluster lock in this process
  std::unique_ptr<Connection> lock_conn_;   // guarded by lock_mutex_
  std::atomic<std::thread::id> lock_holder_{};
};

}  // namespace apiota::store::postgres
