#pragma once
// Database: the connections of one SQLite store and the rules for using
// them, shared by every aggregate's queries. WAL mode: a single writer
// connection serialized by a mutex, a pool of reader connections so reads
// never wait for writes, and a watcher connection per thread for the
// lock-free change checks of store/cache_tracking.h. Several processes
// (server and CLI) may open the same file; SQLite's locking and a 10 s busy
// timeout arbitrate between them. Thread-safe.

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"

namespace apiota::store::sqlite {

// Whether opening may create apiota's schema in a database that has none.
// RequireExisting is for a file that should already be an apiota database:
// one without the schema is reported as damaged instead of quietly becoming
// an empty store.
enum class SchemaPolicy { CreateIfMissing, RequireExisting };

class Database {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the
  // current schema. Throws StoreOpenError, naming `path`, if the file cannot
  // be opened or read, is not an apiota database under RequireExisting, or
  // is newer than this binary.
  // Every connection opens through the SQLite VFS named `vfs` (tests inject
  // faults through one); empty means the default.
  Database(std::string path, SchemaPolicy policy, std::string vfs = {});
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // The writer, held by one caller at a time for one store method. When the
  // lease ends (after the method's transaction committed or rolled back) it
  // counts a possible local change of cached data, if a write touched the
  // cache_generation table.
  class Writer {
   public:
    explicit Writer(Database& db) : db_(db), lock_(db.writer_mutex_) {}
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer();
    Connection* operator->() { return db_.writer_.get(); }
    Connection& operator*() { return *db_.writer_; }

   private:
    Database& db_;
    std::lock_guard<std::mutex> lock_;
  };
  Writer writer() { return Writer(*this); }

  // A reader connection from the pool (opened when none is idle), returned to
  // the pool when the lease ends.
  class Reader {
   public:
    Reader(Database& db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    ~Reader();
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    Database& db_;
    std::unique_ptr<Connection> conn_;
  };
  Reader reader();

  // Group commit: runs `work` on the writer in a transaction shared with the
  // work other callers queued meanwhile. Every caller queues its work, then
  // takes the writer; the first to get it commits all queued work in one
  // transaction, the others find theirs done when they get the writer in
  // turn. Nobody returns before its work is committed. Work that throws is
  // undone alone (a savepoint each) and throws from its own caller only; a
  // failed commit throws from every caller whose work was in it.
  void commit_grouped(const std::function<void(Connection&)>& work);

  // This thread's own connection: no lock shared between threads.
  Connection& watcher();
  // How many writer leases ended after touching cache_generation.
  std::uint64_t local_cache_changes() const { return local_cache_changes_.load(std::memory_order_acquire); }

 private:
  struct QueuedWork {
    const std::function<void(Connection&)>* work;
    bool done = false;
    std::exception_ptr error;
  };

  static void run_in_savepoint(Connection& conn, QueuedWork& queued);

  std::string path_;
  std::string vfs_;
  const std::uint64_t serial_;  // tells this database's watchers from others' in a thread
  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  bool cache_touched_ = false;  // guarded by writer_mutex_
  std::atomic<std::uint64_t> local_cache_changes_{0};
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  std::mutex queue_mutex_;
  std::vector<QueuedWork*> queue_;  // work waiting for a group commit
};

}  // namespace apiota::store::sqlite
