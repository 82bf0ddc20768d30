#include "service/clock.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

namespace apiota::service {

std::string iso8601(std::int64_t unix_ms) {
  using namespace std::chrono;
  sys_seconds t{duration_cast<seconds>(milliseconds(unix_ms))};
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", t);
}

}  // namespace apiota::service
