#include "support/sourced_request.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace apiota::testing {
namespace {

// Closes the socket it holds when it goes out of scope.
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

bool ipv4(const std::string& address, std::uint16_t port, sockaddr_in& out) {
  out = {};
  out.sin_family = AF_INET;
  out.sin_port = htons(port);
  return ::inet_pton(AF_INET, address.c_str(), &out.sin_addr) == 1;
}

std::string request_text(const SourcedRequest& request) {
  std::string text = request.method + " " + request.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : request.headers) text += name + ": " + value + "\r\n";
  if (!request.body.empty()) text += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  return text + "\r\n" + request.body;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string receive_until_closed(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string received;
  char chunk[4096];
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return received;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return received;
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return received;
    received.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace

RawResponse request_from(const std::string& source, std::uint16_t port, const SourcedRequest& request,
                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  sockaddr_in local{};
  sockaddr_in server{};
  if (!ipv4(source, 0, local) || !ipv4("127.0.0.1", port, server)) return {};
  Socket socket;
  if (socket.fd() < 0) return {};
  if (::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) return {};
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) return {};
  if (!send_all(socket.fd(), request_text(request))) return {};
  return parse_raw_response(receive_until_closed(socket.fd(), deadline));
}

}  // namespace apiota::testing
