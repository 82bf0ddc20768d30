#pragma once
// Internal to the http layer: the state all connections share and the
// coroutine that serves one connection. Server owns the ServerState.

#include <atomic>
#include <boost/intrusive/list.hpp>

#include <memory>
#include <vector>

#include "api/context.h"
#include "http/address_connections.h"
#include "http/beast_pch.h"
#include "http/connection_caps.h"
#include "http/reloadable_tls_context.h"
#include "http/router.h"
#include "http/throttled_warning.h"
#include "http/trusted_proxies.h"
#include "http/server.h"

namespace apiota::http {

// Lets the server close a connection while it waits for a request head (the
// first one or the next on a keep-alive connection): at shutdown, and under
// pressure at the connection cap. Lives in the connection's coroutine and is
// linked into its thread's ConnectionList while it waits.
struct ConnectionControl
    : boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>> {
  boost::beast::tcp_stream* stream = nullptr;
};

// The idle connections of one I/O thread, longest idle first: each is
// appended when it starts waiting for a request head and unlinks itself when
// the head has arrived, so a request in progress or a reply being written is
// never listed. Only that thread touches the list, so this takes no lock.
struct ConnectionList {
  explicit ConnectionList(boost::asio::any_io_executor e) : executor(std::move(e)) {}
  boost::asio::any_io_executor executor;
  boost::intrusive::list<ConnectionControl, boost::intrusive::constant_time_size<false>> idle;
  // Connections from a trusted proxy closed for a missing or malformed PROXY
  // header (a proxy_protocol setting the proxy does not match).
  ThrottledWarning bad_proxy_header{std::chrono::seconds(10)};
};

struct ServerState {
  ServerState(api::Context& c, const ServerOptions& o, boost::asio::thread_pool& w)
      : ctx(c),
        options(o),
        router(make_api_router()),
        workers(w),
        caps(connection_caps(o.max_connections)),
        per_address(o.max_connections_per_address),
        trusted(TrustedProxies::parse(o.trusted_proxies)) {}

  enum class Admission { Admitted, AddressFull, ServerFull };

  api::Context& ctx;
  const ServerOptions& options;
  const Router router;
  boost::asio::thread_pool& workers;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};
  ConnectionCaps caps;  // lowered by Server::bind() when the open-files limit is too low
  AddressConnections per_address;  // not counting trusted proxies
  // The proxies whose forwarding headers (and PROXY headers, with
  // options.proxy_protocol) name the client (ServerOptions::trusted_proxies).
  const TrustedProxies trusted;
  std::vector<std::unique_ptr<ConnectionList>> connection_lists;  // one per I/O thread
  // Set when the server speaks TLS (ServerOptions::tls_cert_file): a
  // connection to the TLS address handshakes first, with the context
  // current when it was accepted.
  std::unique_ptr<ReloadableTlsContext> tls;

  // Decides on a connection from `address` just accepted by I/O thread
  // `thread`, and counts it when Admitted; a refused one must be closed.
  // Past caps.evict_above it also closes the longest-idle connection.
  Admission admit(std::size_t thread, const boost::asio::ip::address& address);
  // Uncounts an admitted connection from `address` once it is closed.
  void release(const boost::asio::ip::address& address);
  // Closes the longest-idle connection of I/O thread `thread` (the caller
  // runs on it), or, when it has none, of the next thread that has one.
  void evict_idle_connection(std::size_t thread);
  // Asks every idle connection to close; busy ones close after their reply.
  void close_idle_connections();
};

// Serves HTTP requests on `socket` until the client or the server ends the
// connection, over TLS when `tls` (state.tls is then set); `peer` is the
// client's address as accept() reported it, and `list` the connection list
// of the thread that runs the coroutine.
boost::asio::awaitable<void> serve_connection(ServerState& state, ConnectionList& list,
                                              boost::asio::ip::tcp::socket socket,
                                              boost::asio::ip::tcp::endpoint peer, bool tls);

}  // namespace apiota::http
