#pragma once
// ThrottledWarning: a warning that may recur many times a second (accept
// failing with EMFILE, connections refused at a cap) logged at most once per
// interval, with how often it happened meanwhile, so a flood of events does
// not become a flood of identical log lines. Not thread-safe: one per thread.

#include <chrono>
#include <cstddef>
#include <string_view>

namespace apiota::http {

class ThrottledWarning {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ThrottledWarning(Clock::duration interval) : interval_(interval) {}

  // Counts one occurrence of `message`; logs it when no line was logged
  // within the interval, with the count of occurrences since the last line.
  void note(std::string_view message, Clock::time_point now = Clock::now());

 private:
  Clock::duration interval_;
  Clock::time_point last_logged_{};
  bool logged_ = false;
  std::size_t unlogged_ = 0;
};

}  // namespace apiota::http
