#pragma once
// Fitting the process's open-files limit (RLIMIT_NOFILE) to the connection
// cap. Every connection is a file descriptor, and the process needs others
// beside them (kFilesBesideConnections: the database, firmware files held
// open for downloads, an upload's temporary file, listening sockets, event
// loops, log output). Under a soft limit below what max_connections needs
// (1024 is a common default) accept() would fail with EMFILE long before the
// cap, and no client could be served, not even /api/health.

#include <cstddef>

namespace apiota::http {

inline constexpr std::size_t kFilesBesideConnections = 128;

// The soft and hard open-files limits; `unlimited` stands for RLIM_INFINITY.
struct OpenFilesLimit {
  static constexpr std::size_t unlimited = static_cast<std::size_t>(-1);
  std::size_t soft = 0;
  std::size_t hard = 0;
};

// How many connections a soft limit of `soft_limit` files leaves room for,
// capped at `max_connections` (at least 1).
std::size_t connections_within(std::size_t soft_limit, std::size_t max_connections);

// The soft limit to ask for: enough for `max_connections` beside
// kFilesBesideConnections, as far as the hard limit allows; never below the
// current soft limit.
std::size_t wanted_soft_limit(const OpenFilesLimit& limit, std::size_t max_connections);

// Raises the process's soft limit to wanted_soft_limit() and returns how many
// connections the resulting limit allows (max_connections, or fewer). Logs
// the raise at info level and, at warning level, that max_connections cannot
// be reached, with the number that can.
std::size_t fit_open_files_limit(std::size_t max_connections);

}  // namespace apiota::http
