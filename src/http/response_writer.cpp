#include "http/response_writer.h"

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include "api/error_response.h"
#include "api/etag.h"
#include "http/byte_range.h"

namespace apiota::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t kSendfileChunk = 1 << 20;
// A file over TLS is read and encrypted this much at a time (four records).
constexpr std::size_t kTlsFileChunk = 64 * 1024;

template <class Message>
void common_headers(Message& out, const api::Response& res, const ReplyContext& reply) {
  out.set(bhttp::field::server, "apiota");
  for (const auto& [name, value] : res.headers) out.set(name, value);
  out.keep_alive(reply.keep_alive);
}

// Waits until the socket can take more bytes; throws when that takes longer
// than `timeout` (a client that stopped reading). The timer exists only
// while waiting: most replies never wait.
asio::awaitable<void> wait_writable(asio::ip::tcp::socket& socket, std::chrono::seconds timeout) {
  asio::steady_timer timer(socket.get_executor(), timeout);
  auto ready = co_await (socket.async_wait(asio::ip::tcp::socket::wait_write, asio::use_awaitable) ||
                         timer.async_wait(asio::use_awaitable));
  if (ready.index() == 1) throw boost::system::system_error(asio::error::timed_out);
}

boost::system::system_error last_error() {
  return boost::system::system_error(boost::system::error_code(errno, boost::system::system_category()));
}

// The status line and headers of `out`, as Beast serializes them.
std::string header_bytes(const bhttp::response<bhttp::empty_body>& out, std::size_t reserve_body) {
  bhttp::response_serializer<bhttp::empty_body> serializer{out};
  serializer.split(true);
  std::string bytes;
  bytes.reserve(256 + reserve_body);
  boost::system::error_code ec;
  while (!ec && !serializer.is_header_done()) {
    serializer.next(ec, [&](boost::system::error_code&, const auto& buffers) {
      std::size_t taken = 0;
      for (auto buffer : beast::buffers_range_ref(buffers)) {
        bytes.append(static_cast<const char*>(buffer.data()), buffer.size());
        taken += buffer.size();
      }
      serializer.consume(taken);
    });
  }
  if (ec) throw boost::system::system_error(ec);
  return bytes;
}

// Sends `bytes` whole, straight from this coroutine: a reply that fits the
// socket buffer (nearly all) costs one send() and no trip round the event
// loop. With `more`, the kernel holds a short tail (MSG_MORE) until the next
// send, so a file's header and its first bytes share a segment instead of
// costing a packet of their own.
asio::awaitable<void> send_all(asio::ip::tcp::socket& socket, std::string_view bytes, bool more,
                               std::chrono::seconds timeout) {
  if (!socket.native_non_blocking()) socket.native_non_blocking(true);
  const int flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);
  while (!bytes.empty()) {
    ssize_t n = ::send(socket.native_handle(), bytes.data(), bytes.size(), flags);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      co_await wait_writable(socket, timeout);
    } else {
      throw last_error();
    }
  }
}

// Streams [offset, offset+length) of `fd` to the socket with sendfile(),
// waiting for writability when the socket buffer is full.
asio::awaitable<void> sendfile_range(asio::ip::tcp::socket& socket, int fd, std::uint64_t offset,
                                    std::uint64_t length, std::chrono::seconds timeout) {
  off_t position = static_cast<off_t>(offset);
  std::uint64_t remaining = length;
  while (remaining > 0) {
    ssize_t n = ::sendfile(socket.native_handle(), fd, &position, std::min<std::uint64_t>(remaining, kSendfileChunk));
    if (n > 0) {
      remaining -= static_cast<std::uint64_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      co_await wait_writable(socket, timeout);
    } else if (n == 0) {
      // The file is shorter than its recorded size; the client cannot get a
      // correct body, so drop the connection rather than hang.
      throw boost::system::system_error(asio::error::eof);
    } else {
      throw last_error();
    }
  }
}

// A reply ready for the wire: its head (and in-memory body) as bytes, then
// optionally a range of a file.
struct PlannedReply {
  unsigned status = 0;
  std::string bytes;
  int file_fd = -1;  // >= 0: [file_offset, file_offset + body_bytes) of it follows `bytes`
  std::uint64_t file_offset = 0;
  std::uint64_t body_bytes = 0;
};

PlannedReply plan_file(api::Response& res, const ReplyContext& reply);

PlannedReply plan_reply(api::Response& res, const ReplyContext& reply) {
  if (res.file) return plan_file(res, reply);
  bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(res.status), reply.http_version};
  common_headers(out, res, reply);
  PlannedReply plan;
  plan.status = res.status;
  // 304 and 204 carry neither a body nor a Content-Length.
  if (res.status != 304 && res.status != 204) {
    out.set(bhttp::field::content_type, res.content_type);
    out.content_length(res.body.size());
    if (!reply.head) plan.body_bytes = res.body.size();
  }
  plan.bytes = header_bytes(out, plan.body_bytes);
  plan.bytes.append(res.body, 0, plan.body_bytes);
  return plan;
}

PlannedReply plan_file(api::Response& res, const ReplyContext& reply) {
  api::FileBody& file = *res.file;
  std::string etag = "\"" + file.etag + "\"";
  res.headers.emplace_back("ETag", etag);
  res.headers.emplace_back("x-MD5", file.md5);
  res.headers.emplace_back("Accept-Ranges", "bytes");

  if (reply.if_none_match && api::if_none_match_matches(*reply.if_none_match, etag)) {
    api::Response not_modified;
    not_modified.status = 304;
    not_modified.headers = std::move(res.headers);
    return plan_reply(not_modified, reply);
  }

  const std::uint64_t file_size = file.blob->size;
  RangeDecision decision = decide_range(reply.range, file_size);
  if (decision.outcome == RangeOutcome::Unsatisfiable) {
    api::Response refused = api::error_response(service::ErrorCode::RangeNotSatisfiable,
                                                "the range starts past the end of the file");
    refused.headers.emplace_back("Content-Range", unsatisfied_content_range_value(file_size));
    return plan_reply(refused, reply);
  }
  std::uint64_t first = 0;
  std::uint64_t length = file_size;
  bhttp::status status = bhttp::status::ok;
  if (decision.outcome == RangeOutcome::Partial) {
    first = decision.range.first;
    length = decision.range.last - decision.range.first + 1;
    status = bhttp::status::partial_content;
    res.headers.emplace_back("Content-Range", content_range_value(decision.range, file_size));
  }

  bhttp::response<bhttp::empty_body> out{status, reply.http_version};
  common_headers(out, res, reply);
  out.set(bhttp::field::content_type, res.content_type);
  out.content_length(length);
  PlannedReply plan;
  plan.status = static_cast<unsigned>(status);
  plan.bytes = header_bytes(out, 0);
  if (!reply.head && length > 0) {
    plan.file_fd = file.blob->fd.get();
    plan.file_offset = first;
    plan.body_bytes = length;
  }
  return plan;
}

// Writes `bytes` whole through the TLS stream, each write bounded by `timeout`.
asio::awaitable<void> tls_write(TlsStream& stream, asio::const_buffer bytes, std::chrono::seconds timeout) {
  auto& tcp = beast::get_lowest_layer(stream);
  tcp.expires_after(timeout);
  co_await asio::async_write(stream, bytes, asio::use_awaitable);
  tcp.expires_never();
}

// `head`, then [offset, offset+length) of `fd`, through the TLS stream
// kTlsFileChunk at a time; the head shares the first write with the start
// of the file, so a small Range answer goes out as few full records.
asio::awaitable<void> tls_write_file(TlsStream& stream, std::string_view head, int fd, std::uint64_t offset,
                                     std::uint64_t length, std::chrono::seconds timeout) {
  const std::size_t capacity = head.size() + static_cast<std::size_t>(std::min<std::uint64_t>(length, kTlsFileChunk));
  const auto chunk = std::make_unique_for_overwrite<char[]>(capacity);
  std::memcpy(chunk.get(), head.data(), head.size());
  std::size_t filled = head.size();
  while (length > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(length, capacity - filled));
    ssize_t n = ::pread(fd, chunk.get() + filled, want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw last_error();
    // A file shorter than its recorded size cannot give a correct body.
    if (n == 0) throw boost::system::system_error(asio::error::eof);
    co_await tls_write(stream, asio::buffer(chunk.get(), filled + static_cast<std::size_t>(n)), timeout);
    offset += static_cast<std::uint64_t>(n);
    length -= static_cast<std::uint64_t>(n);
    filled = 0;
  }
}

}  // namespace

asio::awaitable<Sent> write_response(PlainStream& stream, api::Response& res, const ReplyContext& reply,
                                     const ServerOptions& options) {
  const PlannedReply plan = plan_reply(res, reply);
  auto& socket = stream.socket();
  const bool file_follows = plan.file_fd >= 0;
  co_await send_all(socket, plan.bytes, file_follows, options.write_timeout);
  if (file_follows) {
    co_await sendfile_range(socket, plan.file_fd, plan.file_offset, plan.body_bytes, options.write_timeout);
  }
  co_return Sent{plan.status, plan.body_bytes};
}

asio::awaitable<Sent> write_response(TlsStream& stream, api::Response& res, const ReplyContext& reply,
                                     const ServerOptions& options) {
  const PlannedReply plan = plan_reply(res, reply);
  // The answer's last bytes then leave with close_notify (http/connection.cpp).
  if (!reply.keep_alive) stream.closing_after_writes();
  if (plan.file_fd >= 0 && plan.body_bytes > 0) {
    co_await tls_write_file(stream, plan.bytes, plan.file_fd, plan.file_offset, plan.body_bytes,
                            options.write_timeout);
  } else {
    co_await tls_write(stream, asio::buffer(plan.bytes), options.write_timeout);
  }
  co_return Sent{plan.status, plan.body_bytes};
}

}  // namespace apiota::http
