#pragma once
// Test support: one HTTP/1.1 exchange with a server on 127.0.0.1 from a
// chosen loopback source address, so a black-box test can act as several
// clients of a per-address limit. On Linux the whole of 127.0.0.0/8 is
// local, so 127.0.0.2, 127.0.0.3, ... need no setup.
//
// request_from() binds a fresh socket to `source` (any port), connects,
// sends `method target` with Host, Connection: close, Content-Length when
// there is a body, and `headers`, then reads until the server closes or
// `timeout` passes. It never throws and never fails a test: when the bind,
// connect or send fails, or no complete head arrives, the result has
// complete == false (and status 0). Only the one socket it opened is used
// and closed.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "support/raw_connection.h"

namespace apiota::testing {

struct SourcedRequest {
  std::string method = "GET";
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

RawResponse request_from(const std::string& source, std::uint16_t port, const SourcedRequest& request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace apiota::testing
