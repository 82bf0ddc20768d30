#pragma once
// Serving GET /api/admin/events (api/admin/event_stream.h) on a connection.
//
// The request head has been read. serve_event_stream() opens the stream on
// the worker pool (authentication, the bound on open streams); a refusal is
// returned for the caller to send as usual. Otherwise it writes the
// text/event-stream head (no length: the stream ends with the connection)
// and then, about once a second (kPollInterval), whatever events the
// stream has, or a ": ping" comment when nothing was written for
// kPingInterval. It returns when the client closes the connection (or sends
// anything: a client of this stream sends nothing), a write times out
// (ServerOptions::write_timeout) or the server stops; the caller then closes
// the connection. The connection is never in the idle list and has no idle
// timeout, and a stopping server ends it within one interval.

#include <chrono>
#include <optional>

#include "api/request.h"
#include "http/beast_pch.h"
#include "http/connection.h"
#include "http/response_writer.h"
#include "http/streams.h"

namespace apiota::http {

inline constexpr std::chrono::seconds kPollInterval{1};
inline constexpr std::chrono::seconds kPingInterval{15};

struct EventStreamResult {
  std::optional<api::Response> refusal;  // set when the stream was not opened
  Sent sent;                             // what was streamed, when it was
};

// For Stream = PlainStream and TlsStream (http/streams.h).
template <class Stream>
boost::asio::awaitable<EventStreamResult> serve_event_stream(ServerState& state, Stream& stream,
                                                             const api::Request& req, const ReplyContext& reply);

}  // namespace apiota::http
