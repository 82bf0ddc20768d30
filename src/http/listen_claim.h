#pragma once
// ListenClaim: makes "one apiota per listening address" exact.
//
// The I/O threads share a port through SO_REUSEPORT, which would also let a
// second apiota (same user) join the group and silently take half of the
// connections. Before binding, a server claims its address by binding an
// abstract Unix socket named after it ("apiota-listen:HOST:PORT"). Abstract
// names belong to the network namespace, like ports, and are released by the
// kernel when the process exits, even on a crash. A second claim of the same
// address fails at once, with no window between checking and binding.

#include <string>

namespace apiota::http {

class ListenClaim {
 public:
  ListenClaim() = default;
  // Throws std::system_error (EADDRINUSE) when another process holds the
  // claim for `address`.
  explicit ListenClaim(const std::string& address);
  ListenClaim(ListenClaim&& other) noexcept;
  ListenClaim& operator=(ListenClaim&& other) noexcept;
  ListenClaim(const ListenClaim&) = delete;
  ListenClaim& operator=(const ListenClaim&) = delete;
  ~ListenClaim();

 private:
  int fd_ = -1;
};

}  // namespace apiota::http
