#include "store/sqlite/database.h"

#include <string_view>
#include <unordered_map>

#include "domain/printable.h"
#include "store/sqlite/schema.h"

namespace apiota::store::sqlite {
namespace {

// Each thread's watcher connections, by database serial. A thread's entry
// goes when the database is destroyed on that thread, or with the thread.
std::unordered_map<std::uint64_t, std::unique_ptr<Connection>>& thread_watchers() {
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> watchers;
  return watchers;
}

// Databases are told apart by serial, not address, so a thread's watcher of
// a destroyed database is never reused for a new one at the same address.
std::uint64_t next_serial() {
  static std::atomic<std::uint64_t> serial{0};
  return ++serial;
}

// Damage only a backup or a new database fixes, as opposed to a file that
// could not be reached (SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM, ...).
bool is_damage(int code) { return code == SQLITE_NOTADB || code == SQLITE_CORRUPT; }

}  // namespace

Database::Database(std::string path, SchemaPolicy policy, std::string vfs)
    : path_(std::move(path)), vfs_(std::move(vfs)), serial_(next_serial()) {
  try {
    writer_ = std::make_unique<Connection>(path_, vfs_);
  } catch (const SqliteError& e) {
    throw StoreOpenError(e.what(), is_damage(e.code()));
  }
  const std::string shown = domain::printable(path_);
  try {
    if (policy == SchemaPolicy::RequireExisting && schema_version(*writer_) == 0) {
      throw StoreOpenError(shown + " is an SQLite database without apiota's tables", true);
    }
    migrate(*writer_);
  } catch (const SqliteError& e) {
    throw StoreOpenError("cannot read " + shown + ": " + e.what(), is_damage(e.code()));
  } catch (const StoreOpenError&) {
    throw;
  } catch (const StoreError& e) {
    throw StoreOpenError(shown + ": " + e.what(), false);
  }
  // Every change caches depend on bumps cache_generation through a trigger,
  // and SQLite reports trigger-made row changes to the update hook too.
  sqlite3_update_hook(
      writer_->handle(),
      [](void* owner, int, const char*, const char* table, sqlite3_int64) {
        if (std::string_view(table) == "cache_generation") static_cast<Database*>(owner)->cache_touched_ = true;
      },
      this);
}

Database::~Database() { thread_watchers().erase(serial_); }

Database::Writer::~Writer() {
  if (db_.cache_touched_) {
    db_.cache_touched_ = false;
    db_.local_cache_changes_.fetch_add(1, std::memory_order_release);
  }
}

Database::Reader::~Reader() {
  std::lock_guard lock(db_.readers_mutex_);
  db_.idle_readers_.push_back(std::move(conn_));
}

Database::Reader Database::reader() {
  std::unique_ptr<Connection> conn;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (!conn) conn = std::make_unique<Connection>(path_, vfs_);
  return Reader(*this, std::move(conn));
}

// One caller's work inside the shared transaction: its failure undoes only
// its own writes and is kept for that caller; the others' work stays. A
// failure that ends the whole transaction (SQLite rolls back on some I/O
// errors) makes the ROLLBACK TO throw, which fails the batch.
void Database::run_in_savepoint(Connection& conn, QueuedWork& queued) {
  conn.exec("SAVEPOINT queued_work");
  try {
    (*queued.work)(conn);
  } catch (...) {
    queued.error = std::current_exception();
    conn.exec("ROLLBACK TO queued_work");
  }
  conn.exec("RELEASE queued_work");
}

void Database::commit_grouped(const std::function<void(Connection&)>& work) {
  QueuedWork mine{&work, false, nullptr};
  {
    std::lock_guard queue(queue_mutex_);
    queue_.push_back(&mine);
  }
  auto conn = writer();
  if (!mine.done) {
    std::vector<QueuedWork*> batch;
    {
      std::lock_guard queue(queue_mutex_);
      batch.swap(queue_);
    }
    try {
      Transaction tx(*conn);
      if (batch.size() == 1) {
        (*batch.front()->work)(*conn);  // alone: the transaction is its savepoint
      } else {
        for (QueuedWork* queued : batch) run_in_savepoint(*conn, *queued);
      }
      tx.commit();
    } catch (...) {
      for (QueuedWork* queued : batch) queued->error = std::current_exception();
    }
    for (QueuedWork* queued : batch) queued->done = true;
  }
  if (mine.error) std::rethrow_exception(mine.error);
}

Connection& Database::watcher() {
  auto& conn = thread_watchers()[serial_];
  if (!conn) conn = std::make_unique<Connection>(path_, vfs_);
  return *conn;
}

}  // namespace apiota::store::sqlite
