#pragma once
// ConnectionPool: at most `size` connections to one PostgreSQL database,
// shared by the threads of one store. lease() hands out an idle connection,
// opens a new one while fewer than `size` exist, and otherwise waits for one
// to come back. A connection that was lost while leased is dropped when its
// lease ends, so the next lease connects afresh: after the server restarts,
// the pool recovers by itself. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/connection.h"

namespace apiota::store::postgres {

class ConnectionPool {
 public:
  // `conninfo` is not connected to here; the first lease connects.
  ConnectionPool(std::string conninfo, std::size_t size, std::chrono::milliseconds wait_limit);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // A connection for the caller alone until the lease ends. Throws
  // StoreUnavailable when a new connection fails, or when none comes back
  // within the wait limit.
  Lease lease();

  std::size_t size() const { return size_; }

 private:
  void give_back(std::unique_ptr<Connection> conn);

  const std::string conninfo_;
  const std::size_t size_;
  const std::chrono::milliseconds wait_limit_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // leased or idle
};

}  // namespace apiota::store::postgres
