#include "http/event_stream.h"

#include <array>
#include <string>
#include <tuple>

#include "api/admin/event_stream.h"
#include "http/worker_call.h"

namespace apiota::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

std::string stream_head(unsigned http_version) {
  return std::string(http_version == 10 ? "HTTP/1.0" : "HTTP/1.1") +
         " 200 OK\r\nServer: apiota\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
         "Connection: close\r\nX-Accel-Buffering: no\r\n\r\n";
}

// Writes `text` whole; false when the client is gone or stopped reading.
template <class Stream>
asio::awaitable<bool> write_text(Stream& stream, const std::string& text, std::chrono::seconds timeout) {
  auto& tcp = beast::get_lowest_layer(stream);
  tcp.expires_after(timeout);
  auto written = co_await asio::async_write(stream, asio::buffer(text), asio::as_tuple(asio::use_awaitable));
  tcp.expires_never();
  co_return !std::get<0>(written);
}

// Waits up to kPollInterval; false when the client closed the connection or
// sent something (over TLS too: any bytes from the client, a close_notify
// included, make its socket readable).
asio::awaitable<bool> client_quiet(beast::tcp_stream& stream, asio::steady_timer& timer) {
  timer.expires_after(kPollInterval);
  auto& socket = stream.socket();
  auto woke = co_await (timer.async_wait(asio::as_tuple(asio::use_awaitable)) ||
                        socket.async_wait(asio::ip::tcp::socket::wait_read, asio::as_tuple(asio::use_awaitable)));
  co_return woke.index() == 0;
}

}  // namespace

template <class Stream>
asio::awaitable<EventStreamResult> serve_event_stream(ServerState& state, Stream& stream, const api::Request& req,
                                                      const ReplyContext& reply) {
  std::optional<api::admin::EventStream> events;
  api::Response refusal = co_await call_handler(state.workers, [&] {
    events.emplace(api::admin::EventStream::open(state.ctx, req));
    return api::Response{};
  });
  if (!events) co_return EventStreamResult{std::move(refusal), {}};

  const std::chrono::seconds timeout = state.options.write_timeout;
  EventStreamResult result{std::nullopt, {200, 0}};
  if (!co_await write_text(stream, stream_head(reply.http_version), timeout) || reply.head) co_return result;
  asio::steady_timer timer(stream.get_executor());
  auto last_write = std::chrono::steady_clock::now();
  while (!state.stopping && co_await client_quiet(beast::get_lowest_layer(stream), timer)) {
    std::string text = events->poll();
    const auto now = std::chrono::steady_clock::now();
    if (text.empty() && now - last_write >= kPingInterval) text = ": ping\n\n";
    if (text.empty()) continue;
    if (!co_await write_text(stream, text, timeout)) break;
    result.sent.body_bytes += text.size();
    last_write = now;
  }
  co_return result;
}

template asio::awaitable<EventStreamResult> serve_event_stream(ServerState&, PlainStream&, const api::Request&,
                                                               const ReplyContext&);
template asio::awaitable<EventStreamResult> serve_event_stream(ServerState&, TlsStream&, const api::Request&,
                                                               const ReplyContext&);

}  // namespace apiota::http
