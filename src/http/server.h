#pragma once
// Server: the HTTP/1.1 front end of apiota on Boost.Beast.
//
// I/O runs on `io_threads` threads, each with its own io_context and its own
// listening socket on the same address (SO_REUSEPORT); a connection is
// served, by one coroutine, on the thread that accepted it. bind() fails if
// anything else already listens there.
// Handlers that touch the store run on a separate worker pool so a slow disk
// never stalls the network (routes with a fast handler answer from memory
// first, see router.h). Limits protect the process from slow or hostile
// clients: header size, JSON body size, read/idle timeouts, a connection cap
// per client address and a global one; near the global cap the longest-idle
// connections are closed to make room for new ones (connection_caps.h).
// bind() raises the open-files limit as far as max_connections needs, and
// lowers the global cap, with a warning, when the hard limit is too low
// (open_files_limit.h). SIGHUP reloads the TLS certificate. run() blocks
// until SIGINT/SIGTERM, then stops accepting, lets requests in flight
// finish (up to `shutdown_grace`), closes idle connections and returns; the
// caller then flushes write-behind state (flush_device_observations()) and
// closes the store.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/context.h"

namespace apiota::http {

struct ServerOptions {
  std::string listen = "0.0.0.0:8080";  // HOST:PORT; [v6]:PORT; port 0 picks a free port
  unsigned io_threads = 0;              // 0: one per usable core (usable_cores.h)
  unsigned worker_threads = 4;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_json_body_bytes = 256 * 1024;
  std::chrono::seconds header_timeout{30};
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds body_read_timeout{30};  // per read: a client silent this long is dropped
  std::chrono::seconds write_timeout{60};      // per write: a client not reading this long is dropped
  std::chrono::seconds shutdown_grace{10};
  std::size_t max_connections = 10000;
  // A NAT'd site shares one address, but devices polling every few minutes
  // on short connections hold few sockets at once (README: Configuration).
  std::size_t max_connections_per_address = 256;
  bool access_log = true;
  // PEM files of the certificate chain and its key: set, `listen` speaks
  // TLS only (http/tls_context.h); bind() refuses files that cannot serve.
  // They are read again on SIGHUP and when they change
  // (http/reloadable_tls_context.h).
  std::string tls_cert_file;
  std::string tls_key_file;
  // With TLS: a second address serving plain HTTP too ("" for none).
  std::string plain_listen;
  // Addresses and CIDR blocks of the proxies in front (http/trusted_proxies.h):
  // only from these peers are Forwarded / X-Forwarded-For /
  // X-Forwarded-Proto believed (http/forwarded_client.h).
  std::vector<std::string> trusted_proxies;
  // Which header of a trusted proxy names the client: "x-forwarded-for"
  // (with X-Forwarded-Proto) or "forwarded" (RFC 7239); the other is
  // ignored, since a proxy passes on untouched what it does not set.
  std::string proxy_header = "x-forwarded-for";
  // Connections from a trusted proxy start with a PROXY protocol header
  // (v1 or v2) naming the client (http/proxy_protocol.h).
  bool proxy_protocol = false;
};

class Server {
 public:
  Server(api::Context& ctx, ServerOptions options);
  // A server over an api::Context of its own, built from what the command
  // line opens; the caller keeps the store, blobs, hasher and env alive
  // longer than the Server.
  Server(store::Store& store, blob::BlobStore& blobs, const crypto::KeyedHasher& hasher, service::Settings settings,
         env::Env& env, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening sockets; throws std::system_error on failure, and
  // TlsSetupError for TLS files that cannot serve. Returns the bound
  // "HOST:PORT" of `listen` (with the real port when 0 was asked for).
  std::string bind();
  // After bind(): the bound "HOST:PORT" of `plain_listen`, "" without one.
  std::string plain_address() const;
  // After bind(): "SUBJECT, valid until DATE" of the TLS certificate
  // served, "" without TLS.
  std::string tls_certificate() const;
  // Serves until SIGINT or SIGTERM, then shuts down gracefully.
  void run();
  // How many I/O threads run() uses (ServerOptions::io_threads, or the
  // usable cores when that is 0).
  unsigned io_threads() const;
  // After run(): writes the device observations still held back
  // (service::DeviceService::flush_polls()) and stops their writer. Returns
  // how many were written.
  std::size_t flush_device_observations();

 private:
  struct Impl;
  std::unique_ptr<api::Context> own_context_;  // only from the second constructor
  std::unique_ptr<Impl> impl_;
};

}  // namespace apiota::http
