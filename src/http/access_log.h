#pragma once
// The access log: one line per HTTP request on standard output, in the
// format of spdlog's other lines, "2026-01-31T12:00:00.123Z info " (UTC,
// milliseconds) then
//   ADDRESS "METHOD TARGET" STATUS BODY_BYTES ELAPSEDms   for a request served,
//   ADDRESS "-" STATUS REASON                            for one whose head was refused,
// with TARGET redacted and escaped (redact.h). STATUS is the one the reply
// carried: for a download, the 206, 304 or 416 that Range and If-None-Match
// decided (http/response_writer.h), not the handler's 200.
//
// While an AccessLog exists, a line is formatted on the calling thread (its
// time is the time of the call) and handed to a BatchedLineWriter on
// standard output, so an I/O thread pays no system call, no allocation and
// no wake-up per request. Without one (a Server used outside `apiota serve`)
// the line goes out through spdlog::info.
//
// At most one AccessLog exists at a time. stop(), also run by the
// destructor, writes every line logged before it: call it once no thread
// logs any more (after Server::run() returned).

#include <cstdint>
#include <string_view>

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

void log_request(std::string_view remote, std::string_view method, std::string_view target, unsigned status,
                 std::uint64_t body_bytes, double elapsed_ms);
void log_refused_request(std::string_view remote, unsigned status, std::string_view reason);

}  // namespace apiota::http
