#include "store/postgres/database.h"

#include <poll.h>

#include <chrono>

#include "store/postgres/schema.h"

namespace apiota::store::postgres {
namespace {

// How often a write is tried before its serialization failure is thrown.
constexpr int kWriteAttempts = 8;
// How long the listener waits for a notification before it looks at
// stopping_, and after a failed connection before it tries again.
constexpr int kListenTickMs = 200;

bool must_retry(const PostgresError& e) {
  return e.sqlstate() == "40001" || e.sqlstate() == "40P01";  // serialization failure, deadlock
}

}  // namespace

Database::Database(std::string conninfo, std::size_t pool_size)
    : conninfo_(std::move(conninfo)), pool_(conninfo_, pool_size, std::chrono::seconds(10)) {
  try {
    auto conn = pool_.lease();
    migrate(*conn);
    refresh_generations(*conn);
  } catch (const StoreOpenError&) {
    throw;
  } catch (const StoreError& e) {
    throw StoreOpenError(e.what(), false);
  }
  listener_ = std::thread([this] { listen(); });
}

Database::~Database() {
  stopping_ = true;
  listener_.join();
}

CacheGenerations Database::cache_generations() const {
  return {catalog_.load(std::memory_order_acquire), devices_.load(std::memory_order_acquire)};
}

void Database::in_transaction(const std::function<void(Connection&)>& work, Caches caches,
                              Transaction::Isolation isolation) {
  auto conn = pool_.lease();
  for (int attempt = 1;; ++attempt) {
    try {
      Transaction tx(*conn, isolation);
      work(*conn);
      tx.commit();
      break;
    } catch (const PostgresError& e) {
      if (!must_retry(e) || attempt == kWriteAttempts) throw;
    }
  }
  if (caches == Caches::MayChange) {
    refresh_generations(*conn);
    local_cache_changes_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void Database::exclusively(std::string_view name, const std::function<void()>& work) {
  if (lock_holder_.load(std::memory_order_acquire) == std::this_thread::get_id()) return work();
  std::lock_guard held(lock_mutex_);
  if (!lock_conn_ || !lock_conn_->usable()) lock_conn_ = std::make_unique<Connection>(conninfo_);
  const Params key = Params().add(name);
  lock_conn_->exec("SELECT pg_advisory_lock(hashtext($1))", key);
  lock_holder_.store(std::this_thread::get_id(), std::memory_order_release);
  auto release = [&] {
    lock_holder_.store(std::thread::id{}, std::memory_order_release);
    try {
      lock_conn_->exec("SELECT pg_advisory_unlock(hashtext($1))", key);
    } catch (const StoreError&) {
      lock_conn_.reset();  // the server ends a lost session's locks itself
    }
  };
  try {
    work();
  } catch (...) {
    release();
    throw;
  }
  release();
}

void Database::refresh_generations(Connection& conn) {
  Result rows = conn.exec("SELECT name, value FROM cache_generation");
  bool moved = false;
  while (rows.next()) {
    std::atomic<std::int64_t>& generation = rows.text(0) == "catalog" ? catalog_ : devices_;
    const std::int64_t value = rows.int64(1);
    std::int64_t known = generation.load(std::memory_order_acquire);
    // Generations only grow: a reading older than one already taken is ignored.
    while (value > known && !generation.compare_exchange_weak(known, value, std::memory_order_acq_rel)) {
    }
    moved = moved || value > known;
  }
  if (moved) data_version_.fetch_add(1, std::memory_order_acq_rel);
}

void Database::listen() {
  while (!stopping_) {
    try {
      Connection conn(conninfo_);
      conn.exec_script("LISTEN apiota_cache");
      refresh_generations(conn);  // what changed while no one listened
      while (!stopping_) {
        pollfd fd{PQsocket(conn.handle()), POLLIN, 0};
        if (::poll(&fd, 1, kListenTickMs) <= 0) continue;
        if (PQconsumeInput(conn.handle()) == 0) throw StoreUnavailable("the listening connection was lost");
        bool notified = false;
        while (PGnotify* note = PQnotifies(conn.handle())) {
          PQfreemem(note);
          notified = true;
        }
        if (notified) refresh_generations(conn);
      }
    } catch (const StoreError&) {
      // The server is away: the pool's callers see it; try again shortly.
      for (int waited = 0; waited < 5 && !stopping_; ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kListenTickMs));
      }
    }
  }
}

}  // namespace apiota::store::postgres
