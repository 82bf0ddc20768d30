#pragma once
// Internal to the http layer: the state all connections share and the
// coroutine that serves one connection. Server owns the ServerState.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "api/context.h"
#include "http/beast_pch.h"
#include "http/router.h"
#include "http/server.h"

namespace apiota::http {

// Lets the server close a connection that is idle between requests when it
// shuts down; touched only on the connection's own strand.
struct ConnectionControl {
  boost::beast::tcp_stream* stream = nullptr;
  bool idle = true;
  bool alive = true;
};

struct ServerState {
  ServerState(api::Context& c, const ServerOptions& o, boost::asio::thread_pool& w)
      : ctx(c), options(o), router(make_api_router()), workers(w) {}

  api::Context& ctx;
  const ServerOptions& options;
  const Router router;
  boost::asio::thread_pool& workers;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};

  std::mutex registry_mutex;
  std::uint64_t next_connection_id = 0;
  struct Registered {
    boost::asio::any_io_executor executor;
    std::shared_ptr<ConnectionControl> control;
  };
  std::unordered_map<std::uint64_t, Registered> registry;

  // Asks every idle connection to close; busy ones close after their reply.
  void close_idle_connections();
};

// Serves HTTP requests on `socket` until the client or the server ends the
// connection; `peer` is the client's address as accept() reported it.
boost::asio::awaitable<void> serve_connection(ServerState& state, boost::asio::ip::tcp::socket socket,
                                              boost::asio::ip::tcp::endpoint peer);

}  // namespace apiota::http
