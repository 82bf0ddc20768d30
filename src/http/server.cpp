#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include "service/clock.h"
#include "http/connection.h"
#include "http/listen_claim.h"
#include "http/open_files_limit.h"
#include "http/reloadable_tls_context.h"
#include "http/throttled_warning.h"
#include "http/usable_cores.h"

namespace apiota::http {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kWarningInterval = std::chrono::seconds(10);

tcp::endpoint parse_listen(asio::io_context& io, const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("listen address must be HOST:PORT: " + listen);
  std::string host = listen.substr(0, colon);
  std::string port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service);
  if (results.empty()) throw std::invalid_argument("cannot resolve listen address " + listen);
  return results.begin()->endpoint();
}

std::string format_endpoint(const tcp::endpoint& ep) {
  auto address = ep.address();
  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(ep.port());
}

}  // namespace

// The sockets one address listens on: one per I/O thread (acceptors[i] runs
// on contexts[i]), and the claim that keeps another apiota off the address.
struct Listener {
  ListenClaim claim;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::string bound;  // "HOST:PORT", the real port when 0 was asked for
  bool tls = false;
};

struct Server::Impl {
  Impl(api::Context& ctx, ServerOptions opts)
      : options(std::move(opts)),
        io_threads(options.io_threads ? options.io_threads : usable_cores()),
        contexts(make_contexts(io_threads)),
        io(*contexts.front()),
        workers(options.worker_threads),
        state(ctx, options, workers),
        signals(io, SIGINT, SIGTERM),
        reload_signal(io, SIGHUP),
        shutdown_timer(io),
        tls_check_timer(io),
        housekeeping_timer(io),
        sweep_timer(io) {
    for (auto& context : contexts) {
      state.connection_lists.push_back(std::make_unique<ConnectionList>(context->get_executor()));
    }
  }

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(unsigned count) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (unsigned i = 0; i < count; ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  void stop_contexts() {
    keep_running.clear();
    for (auto& context : contexts) context->stop();
  }

  // One per I/O thread, on its own acceptor: a new connection is served by
  // the thread that accepted it, and listed in that thread's connection list.
  // `tls`: the connections it accepts speak TLS.
  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::size_t thread, bool tls) {
    asio::steady_timer backoff(co_await asio::this_coro::executor);
    ThrottledWarning accept_failed(kWarningInterval);
    ThrottledWarning address_full(kWarningInterval);
    ThrottledWarning server_full(kWarningInterval);
    tcp::endpoint peer;
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(peer, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (!acceptor.is_open() || ec == asio::error::operation_aborted) break;
        // Out of file descriptors (or a similar transient failure): free one
        // by closing an idle connection, and back off instead of spinning.
        if (ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system) {
          state.evict_idle_connection(thread);
        }
        accept_failed.note("accept failed: " + ec.message());
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(asio::use_awaitable);
        continue;
      }
      auto admission = state.admit(thread, peer.address());
      if (admission != ServerState::Admission::Admitted) {
        boost::system::error_code ignored;
        socket.close(ignored);
        if (admission == ServerState::Admission::AddressFull) {
          address_full.note(fmt::format("connection from {} refused: max_connections_per_address = {} reached",
                                        peer.address().to_string(), options.max_connections_per_address));
        } else {
          server_full.note(
              fmt::format("connection refused: {} connections open, the most this server keeps", state.caps.cap));
        }
        continue;
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, serve_connection(state, *state.connection_lists[thread], std::move(socket), peer, tls),
                     [](std::exception_ptr e) {
                       if (!e) return;
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         spdlog::error("connection failed: {}", ex.what());
                       }
                     });
    }
  }

  void begin_shutdown() {
    if (state.stopping.exchange(true)) {
      spdlog::warn("second signal: stopping now");
      stop_contexts();
      return;
    }
    spdlog::info("shutting down: finishing {} open connections", state.connections.load());
    for (auto& listener : listeners) {
      for (auto& acceptor : listener.acceptors) {
        asio::post(acceptor->get_executor(), [&acceptor = *acceptor] {
          boost::system::error_code ignored;
          acceptor.close(ignored);
        });
      }
    }
    housekeeping_timer.cancel();
    tls_check_timer.cancel();
    sweep_timer.cancel();
    state.close_idle_connections();
    shutdown_deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    wait_for_connections();
  }

  void wait_for_connections() {
    if (state.connections == 0 || std::chrono::steady_clock::now() >= shutdown_deadline) {
      stop_contexts();
      return;
    }
    state.close_idle_connections();
    shutdown_timer.expires_after(std::chrono::milliseconds(50));
    shutdown_timer.async_wait([this](boost::system::error_code) { wait_for_connections(); });
  }

  // Idle rate-limit buckets and failed-authentication records are dropped
  // once a minute so the limiters' memory follows the active fleet, not
  // every address ever seen; so are ended console sessions (on the worker
  // pool: that is a store write).
  void prune_rate_limiters() {
    housekeeping_timer.expires_after(std::chrono::minutes(1));
    housekeeping_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || state.stopping) return;
      state.ctx.access.prune();
      asio::post(workers, [this] {
        try {
          state.ctx.sessions.prune();
        } catch (const std::exception& e) {
          spdlog::error("pruning ended console sessions failed: {}", e.what());
        }
      });
      prune_rate_limiters();
    });
  }

  // Stuck update attempts and timed rollout stages are handled on the worker
  // pool every rollout_sweep_interval; a sweep never overlaps the previous one.
  void sweep_rollouts() {
    sweep_timer.expires_after(state.ctx.settings.rollout_sweep_interval);
    sweep_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || state.stopping) return;
      if (!sweeping.exchange(true)) {
        asio::post(workers, [this] {
          try {
            state.ctx.rollouts.sweep();
          } catch (const std::exception& e) {
            spdlog::error("rollout sweep failed: {}", e.what());
          }
          sweeping = false;
        });
      }
      sweep_rollouts();
    });
  }

  // SIGHUP: the TLS certificate is read again (on the worker pool: reading
  // and checking the files is disk work).
  void wait_for_reload_signal() {
    reload_signal.async_wait([this](boost::system::error_code ec, int) {
      if (ec) return;
      if (state.tls) {
        asio::post(workers, [this] { state.tls->reload("SIGHUP"); });
      } else {
        spdlog::info("SIGHUP: nothing to reload (TLS is off)");
      }
      wait_for_reload_signal();
    });
  }

  // Every kTlsFileCheckInterval the certificate files are looked at, and
  // read again once they have changed and settled.
  void watch_tls_files() {
    tls_check_timer.expires_after(kTlsFileCheckInterval);
    tls_check_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || state.stopping) return;
      asio::post(workers, [this] { state.tls->reload_if_changed(); });
      watch_tls_files();
    });
  }

  // Opens one listening socket per I/O thread on `address` (HOST:PORT).
  // Every I/O thread listens on the same address (SO_REUSEPORT: the kernel
  // spreads new connections over them). A second server on the address must
  // fail to start instead of silently sharing its connections: the claim
  // keeps out another apiota, and a plain bind first keeps out any other
  // program. A port 0 needs neither: the kernel picks a port nobody holds.
  Listener open_listener(const std::string& address, bool tls) {
    using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
    Listener listener;
    listener.tls = tls;
    tcp::endpoint endpoint = parse_listen(io, address);
    auto open_on = [&](asio::io_context& context, bool shared) {
      auto acceptor = std::make_unique<tcp::acceptor>(context);
      acceptor->open(endpoint.protocol());
      acceptor->set_option(asio::socket_base::reuse_address(true));
      if (shared) acceptor->set_option(reuse_port(true));
      if (endpoint.address().is_v6()) acceptor->set_option(asio::ip::v6_only(false));
      acceptor->bind(endpoint);
      return acceptor;
    };
    if (endpoint.port() != 0) {
      listener.claim = ListenClaim(format_endpoint(endpoint));
      open_on(io, false)->close();
    }
    for (auto& context : contexts) {
      listener.acceptors.push_back(open_on(*context, true));
      listener.acceptors.back()->listen(asio::socket_base::max_listen_connections);
      endpoint = listener.acceptors.back()->local_endpoint();  // a port 0 is chosen once
    }
    listener.bound = format_endpoint(endpoint);
    return listener;
  }

  void wait_for_signal() {
    signals.async_wait([this](boost::system::error_code ec, int) {
      if (ec) return;
      begin_shutdown();
      wait_for_signal();
    });
  }

  ServerOptions options;
  unsigned io_threads;
  // One io_context per I/O thread: a connection lives on one of them (no
  // strand, no cross-thread wake-ups for its own work); contexts[0] also
  // runs the acceptor, signals and timers.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  asio::io_context& io;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::vector<Listener> listeners;  // `listen`, then `plain_listen` if set
  asio::thread_pool workers;
  ServerState state;
  asio::signal_set signals;
  asio::signal_set reload_signal;
  asio::steady_timer shutdown_timer;
  asio::steady_timer tls_check_timer;
  asio::steady_timer housekeeping_timer;
  asio::steady_timer sweep_timer;
  std::atomic<bool> sweeping{false};
  std::chrono::steady_clock::time_point shutdown_deadline;
};

Server::Server(api::Context& ctx, ServerOptions options) : impl_(std::make_unique<Impl>(ctx, std::move(options))) {}

Server::Server(store::Store& store, blob::BlobStore& blobs, const crypto::KeyedHasher& hasher,
               service::Settings settings, env::Env& env, ServerOptions options)
    : own_context_(std::make_unique<api::Context>(store, blobs, hasher, std::move(settings), env)),
      impl_(std::make_unique<Impl>(*own_context_, std::move(options))) {}

Server::~Server() = default;

std::string Server::bind() {
  auto& impl = *impl_;
  const bool tls = !impl.options.tls_cert_file.empty();
  if (!tls && !impl.options.plain_listen.empty()) {
    throw std::invalid_argument("a plain HTTP listener besides `listen` needs TLS on `listen`");
  }
  if (tls) {
    impl.state.tls =
        std::make_unique<ReloadableTlsContext>(TlsFiles{impl.options.tls_cert_file, impl.options.tls_key_file});
  }
  impl.state.caps = connection_caps(fit_open_files_limit(impl.options.max_connections));
  impl.listeners.push_back(impl.open_listener(impl.options.listen, tls));
  if (!impl.options.plain_listen.empty()) {
    impl.listeners.push_back(impl.open_listener(impl.options.plain_listen, false));
  }
  return impl.listeners.front().bound;
}

std::string Server::tls_certificate() const { return impl_->state.tls ? impl_->state.tls->describe() : std::string(); }

std::string Server::plain_address() const {
  return impl_->listeners.size() > 1 ? impl_->listeners.back().bound : std::string();
}

unsigned Server::io_threads() const { return impl_->io_threads; }

std::size_t Server::flush_device_observations() {
  std::size_t written = impl_->state.ctx.devices.flush_polls();
  impl_->state.ctx.devices.stop();
  return written;
}

void Server::run() {
  auto& impl = *impl_;
  for (auto& listener : impl.listeners) {
    for (std::size_t i = 0; i < listener.acceptors.size(); ++i) {
      asio::co_spawn(listener.acceptors[i]->get_executor(), impl.accept_loop(*listener.acceptors[i], i, listener.tls),
                     asio::detached);
    }
  }
  impl.wait_for_signal();
  impl.wait_for_reload_signal();
  if (impl.state.tls) impl.watch_tls_files();
  impl.prune_rate_limiters();
  impl.sweep_rollouts();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.contexts.size(); ++i) {
    impl.keep_running.push_back(asio::make_work_guard(*impl.contexts[i]));
    threads.emplace_back([&impl, i] { impl.contexts[i]->run(); });
  }
  impl.io.run();
  for (auto& t : threads) t.join();
  impl.workers.join();
}

}  // namespace apiota::http
