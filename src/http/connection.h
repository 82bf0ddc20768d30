#pragma once
// Internal to the http layer: the state all connections share and the
// coroutine that serves one connection. Server owns the ServerState.

#include <atomic>
#include <boost/intrusive/list.hpp>

#include <memory>
#include <vector>

#include "api/context.h"
#include "http/beast_pch.h"
#include "http/router.h"
#include "http/server.h"

namespace apiota::http {

// Lets the server close a connection that is idle between requests when it
// shuts down. Lives in the connection's coroutine and is linked into its
// thread's ConnectionList while the connection is open.
struct ConnectionControl
    : boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>> {
  boost::beast::tcp_stream* stream = nullptr;
  bool idle = true;
};

// The open connections of one I/O thread. Only that thread touches the list,
// so opening and closing a connection takes no lock.
struct ConnectionList {
  explicit ConnectionList(boost::asio::any_io_executor e) : executor(std::move(e)) {}
  boost::asio::any_io_executor executor;
  boost::intrusive::list<ConnectionControl, boost::intrusive::constant_time_size<false>> open;
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
  std::vector<std::unique_ptr<ConnectionList>> connection_lists;  // one per I/O thread

  // Asks every idle connection to close; busy ones close after their reply.
  void close_idle_connections();
};

// Serves HTTP requests on `socket` until the client or the server ends the
// connection; `peer` is the client's address as accept() reported it, and
// `list` the connection list of the thread that runs the coroutine.
boost::asio::awaitable<void> serve_connection(ServerState& state, ConnectionList& list,
                                              boost::asio::ip::tcp::socket socket,
                                              boost::asio::ip::tcp::endpoint peer);

}  // namespace apiota::http
