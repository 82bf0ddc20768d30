#include "store/postgres/pool.h"

#include <utility>

namespace apiota::store::postgres {

ConnectionPool::ConnectionPool(std::string conninfo, std::size_t size, std::chrono::milliseconds wait_limit)
    : conninfo_(std::move(conninfo)), size_(size > 0 ? size : 1), wait_limit_(wait_limit) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && conn_) pool_->give_back(std::move(conn_));
}

ConnectionPool::Lease ConnectionPool::lease() {
  {
    std::unique_lock lock(mutex_);
    const bool available = returned_.wait_for(lock, wait_limit_, [&] { return !idle_.empty() || open_ < size_; });
    if (!available) throw StoreUnavailable("no PostgreSQL connection became free in time (all are busy)");
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;  // a place for the connection opened below, outside the lock
  }
  try {
    return Lease(*this, std::make_unique<Connection>(conninfo_));
  } catch (...) {
    std::lock_guard lock(mutex_);
    --open_;
    returned_.notify_one();
    throw;
  }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> conn) {
  const bool keep = conn->usable() && PQtransactionStatus(conn->handle()) == PQTRANS_IDLE;
  if (!keep) conn.reset();  // closed outside the lock
  std::lock_guard lock(mutex_);
  if (keep) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  returned_.notify_one();
}

}  // namespace apiota::store::postgres
