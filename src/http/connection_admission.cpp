// ServerState's bookkeeping of open connections: the per-address and global
// caps, and closing idle connections under pressure or at shutdown.

#include "http/connection.h"

namespace apiota::http {
namespace asio = boost::asio;

namespace {

// Closes an idle connection at once: its pending read fails and its
// coroutine ends (closing, not cancelling, so that a read the coroutine
// starts next fails too), and the file descriptor is free for a newcomer.
void close_idle(ConnectionControl& control) {
  boost::system::error_code ignored;
  control.unlink();
  control.stream->socket().close(ignored);
}

// Runs on I/O thread `thread`; passes the request on, at most `hops` times,
// to the next thread when this one has no idle connection.
void evict_on(ServerState& state, std::size_t thread, std::size_t hops) {
  auto& list = *state.connection_lists[thread];
  if (!list.idle.empty()) {
    close_idle(list.idle.front());
    return;
  }
  if (hops == 0) return;
  std::size_t next = (thread + 1) % state.connection_lists.size();
  asio::post(state.connection_lists[next]->executor, [&state, next, hops] { evict_on(state, next, hops - 1); });
}

}  // namespace

ServerState::Admission ServerState::admit(std::size_t thread, const asio::ip::address& address) {
  // The address cap comes first: a client over its own cap must not make
  // room for itself by closing other clients' idle connections. A trusted
  // proxy carries a whole fleet's connections and has no address cap.
  const bool capped = !trusted.contains(address);
  if (capped && !per_address.try_add(address)) return Admission::AddressFull;
  std::size_t open = connections.fetch_add(1) + 1;
  if (open > caps.evict_above) evict_idle_connection(thread);
  if (open > caps.cap) {
    --connections;
    if (capped) per_address.remove(address);
    return Admission::ServerFull;
  }
  return Admission::Admitted;
}

void ServerState::release(const asio::ip::address& address) {
  if (!trusted.contains(address)) per_address.remove(address);
  --connections;
}

void ServerState::evict_idle_connection(std::size_t thread) { evict_on(*this, thread, connection_lists.size() - 1); }

void ServerState::close_idle_connections() {
  for (auto& list : connection_lists) {
    asio::post(list->executor, [&list = *list] {
      for (auto& control : list.idle) control.stream->cancel();
    });
  }
}

}  // namespace apiota::http
