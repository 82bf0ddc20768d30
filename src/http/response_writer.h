#pragma once
// Writing an api::Response to the wire.
//
// JSON responses get an exact Content-Length; HEAD gets the same headers and
// no body; 304 carries no body. File responses apply If-None-Match, Range
// and HEAD (never chunked, never compressed). On a plain connection replies
// go to the socket directly (non-blocking send/sendfile, waiting for
// writability only when the socket buffer is full, up to
// ServerOptions::write_timeout per wait); over TLS through the stream, the
// same timeout per write. Each returns what went out (Sent), or throws
// boost::system::system_error when the client goes away or a write times out.

#include <cstdint>
#include <optional>
#include <string_view>

#include "api/request.h"
#include "http/beast_pch.h"
#include "http/server.h"
#include "http/streams.h"

namespace apiota::http {

struct ReplyContext {
  unsigned http_version = 11;  // 10 or 11, echoed back
  bool keep_alive = true;
  bool head = false;
  std::optional<std::string_view> range;
  std::optional<std::string_view> if_none_match;
};

// What a reply carried: its status, which for a file is decided only here
// (206, 304, 416 instead of the handler's 200), and its body bytes sent.
struct Sent {
  unsigned status = 0;
  std::uint64_t body_bytes = 0;
};

// Writes `res` (plain: send() and sendfile(); TLS: the stream's writes, a
// file read in 64 KiB pieces).
boost::asio::awaitable<Sent> write_response(PlainStream& stream, api::Response& res, const ReplyContext& reply,
                                            const ServerOptions& options);
boost::asio::awaitable<Sent> write_response(TlsStream& stream, api::Response& res, const ReplyContext& reply,
                                            const ServerOptions& options);

}  // namespace apiota::http
