#include "http/connection.h"

#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <tuple>
#include <type_traits>

#include "api/error_response.h"
#include "http/access_log.h"
#include "http/event_stream.h"
#include "http/forwarded_client.h"
#include "http/proxy_protocol.h"
#include "http/response_writer.h"
#include "http/streams.h"
#include "http/transfer_encoding.h"
#include "http/upload_reader.h"
#include "http/worker_call.h"

namespace apiota::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace urls = boost::urls;

namespace {

constexpr std::size_t kMaxDrainBytes = 64 * 1024 * 1024;
constexpr auto kDrainTime = std::chrono::seconds(2);

struct ParsedTarget {
  std::string path;
  std::vector<std::string> segments;
  std::vector<std::pair<std::string, std::string>> query;
};

// Decodes the path and query of an origin-form target. '+' stays '+' in the
// query: device secrets may contain it and devices do not form-encode.
std::optional<ParsedTarget> parse_target(std::string_view target) {
  auto url = urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  ParsedTarget out;
  out.path = url->path();
  for (auto segment : url->segments()) out.segments.push_back(segment);
  urls::encoding_opts opts;
  opts.space_as_plus = false;
  for (auto param : url->params(opts)) out.query.emplace_back(param.key, param.value);
  return out;
}

// "host:port" of the address `socket` was reached at (IPv6 in brackets,
// without a zone; an IPv4-mapped one as IPv4): the origin a client without a
// usable Host header is sent back to (api/request_origin.h). `fallback` (the
// listen address) when the socket has no address any more.
std::string reached_address(const asio::ip::tcp::socket& socket, const std::string& fallback) {
  boost::system::error_code ec;
  const auto local = socket.local_endpoint(ec);
  if (ec) return fallback;
  asio::ip::address address = local.address();
  std::string host;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    host = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  } else if (address.is_v6()) {
    asio::ip::address_v6 v6 = address.to_v6();
    v6.scope_id(0);
    // Appended piecewise: GCC 12 at -O3 misreports `"[" + string` (-Wstringop-overflow).
    host.append(1, '[').append(v6.to_string()).push_back(']');
  } else {
    host = address.to_string();
  }
  return host + ":" + std::to_string(local.port());
}

// Who is at the other end of a connection: the TCP peer, and the client a
// trusted proxy's PROXY header named (else the peer).
struct ConnectionPeer {
  asio::ip::address tcp;
  bool trusted = false;  // a trusted proxy: its forwarding headers are believed
  bool proxied = false;  // `client` comes from its PROXY header
  std::string client;    // the address requests are counted, limited and logged under
};

// Every value of header `name` (lowercase) joined by ", ", "" when absent.
std::string joined_header(const api::Request& req, std::string_view name) {
  std::string joined;
  for (const auto& [field, value] : req.headers) {
    if (field != name) continue;
    if (!joined.empty()) joined += ", ";
    joined += value;
  }
  return joined;
}

// Sets the request's client address and scheme: the connection's own, or,
// from a trusted proxy, what its forwarding header (options.proxy_header)
// says (http/forwarded_client.h). Behind a PROXY header the address is the
// one it named and the headers count for nothing: a proxy that speaks the
// PROXY protocol may pass the bytes through untouched (TCP mode), so they
// are the client's own.
void identify_client(const ServerState& state, const ConnectionPeer& peer, bool tls, api::Request& req) {
  req.remote_address = peer.client;
  req.secure = tls;
  if (!peer.trusted || peer.proxied) return;
  const bool rfc7239 = state.options.proxy_header == "forwarded";
  const std::string forwarded = rfc7239 ? joined_header(req, "forwarded") : std::string();
  const std::string forwarded_for = rfc7239 ? std::string() : joined_header(req, "x-forwarded-for");
  const std::string forwarded_proto = rfc7239 ? std::string() : joined_header(req, "x-forwarded-proto");
  const ForwardedClient client = forwarded_client(peer.tcp, state.trusted, forwarded, forwarded_for, forwarded_proto);
  req.remote_address = client.address.to_string();
  req.secure = client.secure.value_or(tls);
}

api::Request make_request(const bhttp::request_header<>& head, ParsedTarget target, const std::string& local) {
  api::Request req;
  req.method = std::string(head.method_string());
  req.path = std::move(target.path);
  req.query = std::move(target.query);
  req.local_address = local;
  for (const auto& field : head) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  return req;
}

// After replying without reading the whole body, stop sending and read (and
// discard) for a moment, so the client sees the reply instead of a reset.
asio::awaitable<void> linger_close(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  std::array<char, 16 * 1024> sink{};
  std::size_t drained = 0;
  stream.expires_after(kDrainTime);
  while (drained < kMaxDrainBytes) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (read_ec) break;
    drained += n;
  }
  stream.socket().close(ec);
}

// Whether a failed head read is the client's malformed HTTP (answered 400)
// rather than the connection ending: closed, reset, timed out, closed by
// the server while idle, or a TLS failure (a peer gone without close_notify
// is "stream truncated").
bool is_malformed_http(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream;
}

// Ends the TLS session with close_notify, so the client knows the answer is
// complete: without it an OpenSSL 3 client treats the close as an error and
// will not resume the session. The client's own close_notify is not waited
// for (marked received), as nginx does; a dead peer fails the write at once.
asio::awaitable<void> send_close_notify(TlsStream& stream) {
  beast::get_lowest_layer(stream).expires_after(kDrainTime);
  co_await stream.async_close_notify(asio::as_tuple(asio::use_awaitable));
}

// Reads the PROXY protocol header a trusted proxy starts its connection
// with, within `limit`, and consumes it from `buffer`; the bytes after it
// stay there. Not Complete: the header was malformed, or did not come.
asio::awaitable<ProxyHeader> read_proxy_header(PlainStream& stream, beast::flat_buffer& buffer,
                                               std::chrono::seconds limit) {
  stream.expires_after(limit);
  ProxyHeader header;
  for (;;) {
    const auto arrived = buffer.cdata();
    header = parse_proxy_header({static_cast<const unsigned char*>(arrived.data()), arrived.size()});
    if (header.status != ProxyHeader::Status::NeedMore) break;
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kMaxProxyHeaderBytes),
                                                   asio::as_tuple(asio::use_awaitable));
    if (ec) {
      header.status = ProxyHeader::Status::Invalid;
      break;
    }
    buffer.commit(n);
  }
  if (header.status == ProxyHeader::Status::Complete) buffer.consume(header.length);
  co_return header;
}

ReplyContext closing_reply() {
  ReplyContext reply;
  reply.keep_alive = false;
  return reply;
}

// The requests of one connection, plain or TLS (after its handshake), until
// the client or the server ends it; closes it.
template <class Stream>
asio::awaitable<void> serve_requests(ServerState& state, ConnectionList& list, Stream& stream,
                                     beast::flat_buffer buffer, const ConnectionPeer& peer, const std::string& local,
                                     bool secure) {
  const std::string& remote = peer.client;
  const ServerOptions& opts = state.options;
  boost::system::error_code ec;
  // Nagle only delays a reply on a connection that carries more than one
  // (or a header and then a file); a one-shot reply goes out whole at close.
  bool no_delay = false;

  beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
  ConnectionControl control;  // unlinks itself when the coroutine ends
  control.stream = &tcp;
  bool must_linger = false;
  bool first_request = true;

  try {
    while (!state.stopping) {
      bhttp::request_parser<bhttp::empty_body> head_parser;
      head_parser.header_limit(static_cast<std::uint32_t>(opts.max_header_bytes));
      // Body limits are set per route once the target is known (JSON bodies,
      // firmware uploads); Beast's default 1 MiB must not refuse the head.
      head_parser.body_limit(boost::none);
      list.idle.push_back(control);
      tcp.expires_after(first_request ? opts.header_timeout : opts.idle_timeout);
      auto [read_ec, n] =
          co_await bhttp::async_read_header(stream, buffer, head_parser, asio::as_tuple(asio::use_awaitable));
      control.unlink();
      first_request = false;
      auto started = std::chrono::steady_clock::now();
      if (read_ec) {
        std::optional<api::Response> refusal;
        if (read_ec == bhttp::error::header_limit) {
          refusal = api::error_response(service::ErrorCode::HeadersTooLarge, "request headers are too large");
        } else if (is_transfer_encoding_error(read_ec, head_parser.get())) {
          refusal = api::error_response(service::ErrorCode::InvalidParameter, kTransferEncodingRefusal);
        } else if (is_malformed_http(read_ec)) {
          refusal = api::error_response(service::ErrorCode::InvalidParameter, "malformed HTTP request");
        }
        if (refusal) {
          const Sent sent = co_await write_response(stream, *refusal, closing_reply(), opts);
          if (opts.access_log) log_refused_request(remote, sent.status, read_ec.message());
          // Whatever the client sent after the bad head is not read: drain
          // it so the client gets the answer instead of a reset.
          must_linger = true;
        }
        break;
      }

      const auto& head = head_parser.get();
      ReplyContext reply;
      reply.http_version = head.version();
      reply.keep_alive = head.keep_alive() && !state.stopping;
      reply.head = head.method() == bhttp::verb::head;
      std::string target(head.target());
      api::Response res;
      // A refusal before the body is read keeps the connection only if there
      // is no body left on the wire.
      const bool has_body = head_parser.chunked() || head_parser.content_length().value_or(0) > 0;
      bool body_consumed = true;

      auto parsed = parse_target(target);
      RouteMatch match;
      if (parsed) match = state.router.match(head.method_string(), parsed->segments);
      api::Request req = make_request(head, parsed ? std::move(*parsed) : ParsedTarget{}, local);
      identify_client(state, peer, secure, req);
      req.path_params = match.params;

      if (!transfer_encoding_acceptable(head)) {
        // The body's length is unknown: nothing after the head can be read
        // as a request.
        res = api::error_response(service::ErrorCode::InvalidParameter, kTransferEncodingRefusal);
        body_consumed = false;
      } else if (!parsed) {
        res = api::error_response(service::ErrorCode::InvalidParameter, "malformed request target");
        body_consumed = !has_body;
      } else if (match.outcome == RouteMatch::Outcome::NotFound) {
        res = api::error_response(service::ErrorCode::NotFound, "no such endpoint: " + req.path);
        body_consumed = !has_body;
      } else if (match.outcome == RouteMatch::Outcome::MethodNotAllowed) {
        res = api::error_response(service::ErrorCode::MethodNotAllowed, req.method + " is not allowed on " + req.path);
        res.headers.emplace_back("Allow", match.allow);
        body_consumed = !has_body;
      } else if (match.kind == RouteKind::EventStream) {
        EventStreamResult streamed = co_await serve_event_stream(state, stream, req, reply);
        if (!streamed.refusal) {
          if (opts.access_log) {
            auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
            log_request(req.remote_address, req.method, target, streamed.sent.status, streamed.sent.body_bytes,
                        elapsed.count());
          }
          break;
        }
        res = std::move(*streamed.refusal);
        body_consumed = !has_body;
      } else if (match.kind == RouteKind::FirmwareUpload) {
        UploadResult upload = co_await read_upload(state, stream, buffer, head_parser, req);
        res = std::move(upload.response);
        body_consumed = upload.body_consumed;
      } else if (head_parser.content_length().value_or(0) > opts.max_json_body_bytes) {
        // Beast checks body_limit against Content-Length only while parsing
        // the head, so a declared length is checked here; chunked bodies are
        // stopped by body_limit below.
        res = api::error_response(service::ErrorCode::PayloadTooLarge, "the request body is too large");
        body_consumed = false;
      } else {
        boost::system::error_code body_ec;
        if (has_body) {
          // A request without a body (every GET) skips this read: it would
          // complete at once, but through a trip round the event loop.
          bhttp::request_parser<bhttp::string_body> body_parser{std::move(head_parser)};
          body_parser.body_limit(opts.max_json_body_bytes);
          tcp.expires_after(opts.body_read_timeout);
          std::tie(body_ec, std::ignore) =
              co_await bhttp::async_read(stream, buffer, body_parser, asio::as_tuple(asio::use_awaitable));
          if (!body_ec) req.body = std::move(body_parser.get().body());
        }
        if (body_ec == bhttp::error::body_limit) {
          res = api::error_response(service::ErrorCode::PayloadTooLarge, "the request body is too large");
          body_consumed = false;
        } else if (body_ec) {
          break;
        } else {
          const Handler& handler = *match.handler;
          std::optional<api::Response> quick;
          if (match.fast != nullptr) quick = run_guarded_fast([&] { return (*match.fast)(state.ctx, req); });
          if (quick) {
            res = std::move(*quick);
          } else {
            res = co_await call_handler(state.workers, [&] { return handler(state.ctx, req); });
          }
        }
      }

      if (!body_consumed || state.stopping) reply.keep_alive = false;
      // The request parser is gone after a body read; take conditional and
      // range headers from the copy in `req`.
      reply.range = req.header("range");
      reply.if_none_match = req.header("if-none-match");
      if (!no_delay && (reply.keep_alive || res.file)) {
        tcp.socket().set_option(asio::ip::tcp::no_delay(true), ec);
        no_delay = true;
      }
      const Sent sent = co_await write_response(stream, res, reply, opts);
      if (opts.access_log) {
        auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
        log_request(req.remote_address, req.method, target, sent.status, sent.body_bytes, elapsed.count());
      }
      if (!body_consumed) {
        must_linger = true;
        break;
      }
      if (!reply.keep_alive) break;
    }
  } catch (const boost::system::system_error&) {
    // The client went away or a write timed out; nothing more can be sent.
  }
  control.unlink();
  if constexpr (std::is_same_v<Stream, TlsStream>) co_await send_close_notify(stream);
  if (must_linger) {
    co_await linger_close(tcp);
  } else {
    tcp.close();  // the kernel sends what is queued, then FIN
  }
}

}  // namespace

asio::awaitable<void> serve_connection(ServerState& state, ConnectionList& list, asio::ip::tcp::socket socket,
                                       asio::ip::tcp::endpoint peer_endpoint, bool tls) {
  ConnectionPeer peer{peer_endpoint.address(), state.trusted.contains(peer_endpoint.address()), false,
                      peer_endpoint.address().to_string()};
  const std::string local = reached_address(socket, state.options.listen);
  PlainStream plain(std::move(socket));
  beast::flat_buffer buffer;  // what arrived after a PROXY header
  if (peer.trusted && state.options.proxy_protocol) {
    const ProxyHeader header = co_await read_proxy_header(plain, buffer, state.options.header_timeout);
    if (header.status != ProxyHeader::Status::Complete) {
      list.bad_proxy_header.note(fmt::format(
          "connection from trusted proxy {} closed: it did not start with a valid PROXY protocol header "
          "(proxy_protocol is on)",
          peer.client));
      plain.close();
      state.release(peer.tcp);
      co_return;
    }
    if (header.source) {
      peer.proxied = true;
      peer.client = header.source->to_string();
    }
  }
  if (!tls) {
    co_await serve_requests(state, list, plain, std::move(buffer), peer, local, false);
  } else {
    // Kept to the end: a certificate reload never touches this connection.
    const std::shared_ptr<asio::ssl::context> context = state.tls->current();
    TlsStream stream(std::move(plain), context->native_handle());
    // The handshake has the time a request head has (a client that stalls
    // in it holds a connection as a slow head would). A failed one (plain
    // HTTP sent here, an unknown CA, a timeout) is closed without a word:
    // there is no TLS session to answer in. Bytes that came after a PROXY
    // header are the handshake's first.
    auto& tcp = beast::get_lowest_layer(stream);
    tcp.expires_after(state.options.header_timeout);
    auto [handshake_ec, unused] = co_await stream.async_handshake(buffer.data(), asio::as_tuple(asio::use_awaitable));
    if (handshake_ec) {
      tcp.close();
    } else {
      co_await serve_requests(state, list, stream, beast::flat_buffer(), peer, local, true);
    }
  }
  state.release(peer.tcp);
}

}  // namespace apiota::http
