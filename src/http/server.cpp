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
#include "http/throttled_warning.h"
#include "http/tls_context.h"
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

struct Server::Impl {
  Impl(api::Context& ctx, ServerOptions opts)
      : options(std::move(opts)),
        io_threads(options.io_threads ? options.io_threads : usable_cores()),
        contexts(make_contexts(io_threads)),
        io(*contexts.front()),
        workers(options.worker_threads),
        state(ctx, options, workers),
        signals(io, SIGINT, SIGTERM),
        shutdown_timer(io),
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
  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::size_t thread) {
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
      asio::co_spawn(executor, serve_connection(state, *state.connection_lists[thread], std::move(socket), peer),
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
    for (auto& acceptor : acceptors) {
      asio::post(acceptor->get_executor(), [&acceptor = *acceptor] {
        boost::system::error_code ignored;
        acceptor.close(ignored);
      });
    }
    housekeeping_timer.cancel();
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
  ListenClaim claim;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;  // acceptors[i] runs on contexts[i]
  asio::thread_pool workers;
  ServerState state;
  asio::signal_set signals;
  asio::steady_timer shutdown_timer;
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

// Every I/O thread listens on the same address (SO_REUSEPORT: the kernel
// spreads new connections over them). A second server on the address must
// fail to start instead of silently sharing its connections: the claim
// keeps out another apiota, and a plain bind first keeps out any other
// program. A port 0 needs neither: the kernel picks a port nobody holds.
std::string Server::bind() {
  if (!impl_->options.tls_cert_file.empty()) {
    impl_->state.tls = make_tls_context({impl_->options.tls_cert_file, impl_->options.tls_key_file});
  }
  impl_->state.caps = connection_caps(fit_open_files_limit(impl_->options.max_connections));
  using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
  tcp::endpoint endpoint = parse_listen(impl_->io, impl_->options.listen);
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
    impl_->claim = ListenClaim(format_endpoint(endpoint));
    open_on(impl_->io, false)->close();
  }
  for (auto& context : impl_->contexts) {
    impl_->acceptors.push_back(open_on(*context, true));
    impl_->acceptors.back()->listen(asio::socket_base::max_listen_connections);
    endpoint = impl_->acceptors.back()->local_endpoint();  // a port 0 is chosen once
  }
  return format_endpoint(endpoint);
}

unsigned Server::io_threads() const { return impl_->io_threads; }

std::size_t Server::flush_device_observations() {
  std::size_t written = impl_->state.ctx.devices.flush_polls();
  impl_->state.ctx.devices.stop();
  return written;
}

void Server::run() {
  auto& impl = *impl_;
  for (std::size_t i = 0; i < impl.acceptors.size(); ++i) {
    asio::co_spawn(impl.acceptors[i]->get_executor(), impl.accept_loop(*impl.acceptors[i], i), asio::detached);
  }
  impl.wait_for_signal();
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
