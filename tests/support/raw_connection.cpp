#include "support/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <utility>

namespace apiota::testing {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Fills status_line, status and headers from a head without its blank line;
// false when the status line is malformed.
bool parse_head(std::string_view head, RawResponse& out) {
  std::size_t line_end = head.find("\r\n");
  out.status_line = std::string(head.substr(0, line_end));
  out.status = raw_status(out.status_line);
  std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t next = std::min(head.find("\r\n", pos), head.size());
    std::string_view line = head.substr(pos, next - pos);
    if (auto colon = line.find(':'); colon != std::string_view::npos) {
      std::size_t value = line.find_first_not_of(' ', colon + 1);
      out.headers.emplace(lower(line.substr(0, colon)),
                          value == std::string_view::npos ? "" : std::string(line.substr(value)));
    }
    pos = next + 2;
  }
  return out.status != 0;
}

int milliseconds_until(RawConnection::Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - RawConnection::Clock::now()).count();
  return static_cast<int>(std::max<decltype(left)>(left, 0));
}

}  // namespace

std::string RawResponse::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

bool RawResponse::has_header(std::string_view name) const { return headers.contains(lower(name)); }

int raw_status(std::string_view response) {
  if (response.size() < 12 || !response.starts_with("HTTP/1.")) return 0;
  int status = 0;
  auto digits = response.substr(9, 3);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), status);
  return ec == std::errc() && end == digits.data() + digits.size() ? status : 0;
}

RawResponse parse_raw_response(std::string_view text) {
  RawResponse r;
  auto end = text.find("\r\n\r\n");
  if (end == std::string_view::npos) return r;
  r.complete = true;
  parse_head(text.substr(0, end), r);
  r.body = std::string(text.substr(end + 4));
  return r;
}

std::string http_chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + std::string(data) + "\r\n";
}

RawConnection::RawConnection(std::uint16_t port, int receive_buffer, const std::string& source_address) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  if (!source_address.empty()) {
    sockaddr_in source{};
    source.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source_address.c_str(), &source.sin_addr) != 1) {
      connect_errno_ = EINVAL;
    } else if (::bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
      connect_errno_ = errno;
    }
    if (connect_errno_ != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    connect_errno_ = errno;
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send_all(std::string_view bytes, std::chrono::milliseconds stall_limit) {
  if (fd_ < 0) return false;
  while (!bytes.empty()) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(stall_limit.count())) <= 0) return false;
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

RawConnection::Received RawConnection::receive(std::size_t max, Clock::time_point deadline) {
  if (fd_ < 0) return Received::closed;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, milliseconds_until(deadline)) <= 0) return Received::timed_out;
  char chunk[64 * 1024];
  ssize_t n = ::recv(fd_, chunk, std::min(max, sizeof chunk), 0);
  if (n <= 0) return Received::closed;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return Received::data;
}

bool RawConnection::read_head(RawResponse& out, Clock::time_point deadline) {
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (receive(64 * 1024, deadline) != Received::data) return false;
  }
  out = RawResponse{};
  out.complete = true;
  bool parsed = parse_head(std::string_view(buffer_).substr(0, end), out);
  buffer_.erase(0, end + 4);
  return parsed;
}

bool RawConnection::read_head(RawResponse& out, std::chrono::milliseconds timeout) {
  return read_head(out, Clock::now() + timeout);
}

bool RawConnection::read_body(std::string& body, std::size_t count, Clock::time_point deadline) {
  while (buffer_.size() < count && receive(count - buffer_.size(), deadline) == Received::data) {
  }
  std::size_t n = std::min(count, buffer_.size());
  body.append(buffer_, 0, n);
  buffer_.erase(0, n);
  return n == count;
}

bool RawConnection::read_body(std::string& body, std::size_t count, std::chrono::milliseconds timeout) {
  return read_body(body, count, Clock::now() + timeout);
}

bool RawConnection::read_response(RawResponse& out, bool head_request, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  if (!read_head(out, deadline)) return false;
  if (head_request) return true;
  const std::string length = out.header("content-length");
  std::size_t count = 0;
  if (!length.empty()) {
    auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), count);
    if (ec != std::errc() || end != length.data() + length.size()) return false;
  }
  return read_body(out.body, count, deadline);
}

std::string RawConnection::read_until(std::string_view marker, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (buffer_.find(marker) == std::string::npos && receive(64 * 1024, deadline) == Received::data) {
  }
  return std::exchange(buffer_, {});
}

bool RawConnection::readable_within(std::chrono::milliseconds timeout) {
  if (!buffer_.empty()) return true;
  if (fd_ < 0) return false;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

std::string RawConnection::pending_answer() {
  if (fd_ < 0) return buffer_;
  char chunk[4096];
  ssize_t n;
  while ((n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT)) > 0) buffer_.append(chunk, static_cast<std::size_t>(n));
  return buffer_;
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return false;
  auto deadline = Clock::now() + timeout;
  Received got;
  while ((got = receive(64 * 1024, deadline)) == Received::data) {
  }
  return got == Received::closed;
}

void RawConnection::reset() {
  if (fd_ < 0) return;
  linger option{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof option);
  ::close(fd_);
  fd_ = -1;
}

std::string raw_exchange(std::uint16_t port, std::string_view request, std::chrono::milliseconds timeout) {
  RawConnection conn(port);
  if (!conn.ok()) return {};
  conn.send_all(request);  // a server that stops reading early still gets its answer read
  conn.closed_by_peer(timeout);
  return conn.pending_answer();
}

}  // namespace apiota::testing
