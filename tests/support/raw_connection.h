#pragma once
// Test support: HTTP/1.x over a raw TCP connection to 127.0.0.1, for what
// cpp-httplib cannot send or would hide: byte-exact requests (ESP32 clients,
// oversized, chunked, stalled or reset ones) and responses exactly as they
// come off the wire.
//
// RawConnection owns one blocking socket, closed by its destructor, and a
// buffer of bytes received but not yet consumed. A failed connect leaves ok()
// false and connect_errno() set; every later call then fails at once. Sends
// and reads give up at their time limit and report it in their result (false,
// or whatever arrived); nothing throws and nothing fails a test, the caller
// asserts. Not thread-safe.
//
// parse_raw_response() and raw_status() parse text that is already complete;
// raw_exchange() is a whole request/response on a fresh connection.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace apiota::testing {

struct RawResponse {
  std::string status_line;
  int status = 0;                              // 0 unless the status line is "HTTP/1.x NNN..."
  std::map<std::string, std::string> headers;  // lowercase names; the first of repeated ones
  std::string body;
  bool complete = false;  // the whole head, up to its blank line, was there

  // The value of header `name` (any case), "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

// NNN of a response starting "HTTP/1.x NNN", 0 for anything else.
int raw_status(std::string_view response);

// Splits a response read until the server closed: the head, and everything
// after the blank line as the body (not decoded). complete is false, and
// nothing else is set, when there is no blank line.
RawResponse parse_raw_response(std::string_view text);

// `data` as one chunk of a Transfer-Encoding: chunked body.
std::string http_chunk(std::string_view data);

class RawConnection {
 public:
  using Clock = std::chrono::steady_clock;

  // `receive_buffer` > 0 shrinks SO_RCVBUF before connecting, so the server
  // cannot push a large body into the socket buffers at once. A non-empty
  // `source_address` (another loopback address: 127.0.0.2, 127.0.0.3...)
  // binds the socket to it first, so the server sees a different client
  // address; by default the connection comes from 127.0.0.1.
  explicit RawConnection(std::uint16_t port, int receive_buffer = 0, const std::string& source_address = "");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  // The connected socket (blocking), for a client that speaks over it
  // itself (a TLS library); it stays this object's to close.
  int fd() const { return fd_; }
  int connect_errno() const { return connect_errno_; }

  // Sends all of `bytes`; false once the peer refuses more (closed, reset) or
  // accepts nothing for `stall_limit`.
  bool send_all(std::string_view bytes, std::chrono::milliseconds stall_limit = std::chrono::seconds(2));

  // Reads one response head (status line and headers) into `out`; false on a
  // timeout, a close before the blank line, or a malformed status line.
  bool read_head(RawResponse& out, Clock::time_point deadline);
  bool read_head(RawResponse& out, std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Appends up to `count` body bytes, those buffered and those arriving in
  // time; true when all `count` arrived.
  bool read_body(std::string& body, std::size_t count, Clock::time_point deadline);
  bool read_body(std::string& body, std::size_t count, std::chrono::milliseconds timeout);

  // One whole response: the head, then Content-Length body bytes (none for a
  // HEAD request); false if any of it is missing by the timeout.
  bool read_response(RawResponse& out, bool head_request = false,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Receives until `marker` has arrived, the peer closes or `timeout` passes,
  // and hands over everything received so far.
  std::string read_until(std::string_view marker, std::chrono::milliseconds timeout);

  // True when received bytes (or a close) are waiting or arrive within `timeout`.
  bool readable_within(std::chrono::milliseconds timeout);

  // Everything received and not consumed yet, without waiting (for failure
  // messages); it stays in the buffer.
  std::string pending_answer();

  // True when the server closes the connection within `timeout`; what it
  // sends meanwhile is buffered.
  bool closed_by_peer(std::chrono::milliseconds timeout);

  // Closes with SO_LINGER 0: the peer gets a RST instead of a FIN.
  void reset();

 private:
  enum class Received { data, closed, timed_out };  // closed: EOF or an error
  // Appends at most `max` bytes to the buffer.
  Received receive(std::size_t max, Clock::time_point deadline);

  int fd_ = -1;
  int connect_errno_ = 0;
  std::string buffer_;
};

// Sends `request` on a fresh connection and returns everything the server
// sends back until it closes the connection or `timeout` passes ("" when it
// cannot connect).
std::string raw_exchange(std::uint16_t port, std::string_view request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace apiota::testing
