#pragma once
// How many connections the server keeps open. Up to `cap` are accepted; once
// more than `evict_above` are open, each new connection closes the
// longest-idle one (a connection waiting for a request head). The reserve
// between the two lets a new client in at once while idle connections close
// to make room, so health checks and new devices are served even when idle
// or slow clients have taken every other slot.

#include <cstddef>

namespace apiota::http {

struct ConnectionCaps {
  std::size_t cap = 0;
  std::size_t evict_above = 0;
};

// The caps for at most `reachable` (>= 1) connections: a reserve of 1/64 of
// them plus one, enough for the connections that arrive while an eviction
// is under way.
constexpr ConnectionCaps connection_caps(std::size_t reachable) {
  return {reachable, reachable - (reachable / 64 + 1)};
}

}  // namespace apiota::http
