#pragma once
// The access log: one line per HTTP request on standard output, in the
// format of spdlog's other lines: "2026-01-31T12:00:00.123Z info <message>"
// (UTC, milliseconds).
//
// While an AccessLog exists, access_log() formats the line on the calling
// thread (its time is the time of the call) and hands it to a
// BatchedLineWriter on standard output, so an I/O thread pays no system call
// and no wake-up per request. Without one (a Server used outside
// `apiota serve`) the line goes out through spdlog::info.
//
// At most one AccessLog exists at a time. stop(), also run by the
// destructor, writes every line logged before it: call it once no thread
// logs any more (after Server::run() returned).

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "http/batched_line_writer.h"

namespace apiota::http {

class AccessLog {
 public:
  AccessLog();
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void stop();

 private:
  BatchedLineWriter writer_;
};

namespace detail {
// The calling thread's line buffer, emptied and started with the time and
// level of a line logged now.
fmt::memory_buffer& begin_access_line();
// Sends the line begun by begin_access_line() to the log.
void end_access_line(fmt::memory_buffer& line);
}  // namespace detail

template <typename... Args>
void access_log(fmt::format_string<Args...> format, Args&&... args) {
  fmt::memory_buffer& line = detail::begin_access_line();
  fmt::format_to(std::back_inserter(line), format, std::forward<Args>(args)...);
  detail::end_access_line(line);
}

}  // namespace apiota::http
