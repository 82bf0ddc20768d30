#include "http/listen_claim.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace apiota::http {

ListenClaim::ListenClaim(const std::string& address) {
  const std::string name = "apiota-listen:" + address;
  sockaddr_un where{};
  where.sun_family = AF_UNIX;
  if (name.size() + 1 > sizeof(where.sun_path)) {
    throw std::system_error(ENAMETOOLONG, std::generic_category(), "listen address too long: " + address);
  }
  // sun_path[0] stays '\0': an abstract name, not a file.
  std::memcpy(where.sun_path + 1, name.data(), name.size());
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket for the listen claim");
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&where), length) != 0) {
    int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::system_error(error, std::generic_category(), "another apiota listens on " + address);
  }
}

ListenClaim::ListenClaim(ListenClaim&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

ListenClaim& ListenClaim::operator=(ListenClaim&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

ListenClaim::~ListenClaim() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace apiota::http
