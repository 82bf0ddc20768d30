#include "http/open_files_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace apiota::http {

namespace {

std::size_t from_rlim(rlim_t value) {
  return value == RLIM_INFINITY ? OpenFilesLimit::unlimited : static_cast<std::size_t>(value);
}

std::string describe(std::size_t limit) {
  return limit == OpenFilesLimit::unlimited ? std::string("unlimited") : std::to_string(limit);
}

}  // namespace

std::size_t connections_within(std::size_t soft_limit, std::size_t max_connections) {
  if (soft_limit == OpenFilesLimit::unlimited) return max_connections;
  // A limit too small even for the other files still gets half of it, so
  // that the server answers at all.
  std::size_t room = soft_limit > 2 * kFilesBesideConnections ? soft_limit - kFilesBesideConnections : soft_limit / 2;
  return std::clamp<std::size_t>(room, 1, max_connections);
}

std::size_t wanted_soft_limit(const OpenFilesLimit& limit, std::size_t max_connections) {
  std::size_t needed = max_connections + kFilesBesideConnections;
  return std::max(limit.soft, std::min(needed, limit.hard));
}

std::size_t fit_open_files_limit(std::size_t max_connections) {
  rlimit current{};
  if (::getrlimit(RLIMIT_NOFILE, &current) != 0) {
    spdlog::warn("open-files limit: cannot read it ({}); serving up to max_connections = {}", std::strerror(errno),
                 max_connections);
    return max_connections;
  }
  OpenFilesLimit limit{from_rlim(current.rlim_cur), from_rlim(current.rlim_max)};
  std::size_t wanted = wanted_soft_limit(limit, max_connections);
  if (wanted != limit.soft) {
    rlimit raised = current;
    raised.rlim_cur = wanted == OpenFilesLimit::unlimited ? RLIM_INFINITY : static_cast<rlim_t>(wanted);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      spdlog::info("open-files limit raised from {} to {} for max_connections = {}", describe(limit.soft),
                   describe(wanted), max_connections);
      limit.soft = wanted;
    } else {
      spdlog::warn("open-files limit: cannot raise it from {} to {}: {}", describe(limit.soft), describe(wanted),
                   std::strerror(errno));
    }
  }
  std::size_t reachable = connections_within(limit.soft, max_connections);
  if (reachable < max_connections) {
    spdlog::warn(
        "open-files limit: the {} limit {} allows only {} of max_connections = {}; the server keeps at most {} "
        "connections open (raise the hard limit: LimitNOFILE= in systemd, ulimit -Hn, docker run --ulimit nofile=)",
        limit.soft == limit.hard ? "hard" : "soft", describe(limit.soft), reachable, max_connections, reachable);
  }
  return reachable;
}

}  // namespace apiota::http
