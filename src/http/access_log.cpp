#include "http/access_log.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <iterator>
#include <string>

#include "http/redact.h"

namespace apiota::http {
namespace {

// "2026-01-31T12:00:00" + ".123Z info ": main.cpp's spdlog pattern.
constexpr std::size_t kSecondsSize = 19;
constexpr std::string_view kLevel = "Z info ";
constexpr std::size_t kPrefixSize = kSecondsSize + 4 + kLevel.size();

std::atomic<BatchedLineWriter*> installed{nullptr};

// Formatting the date costs more than the rest of the line; a thread logs
// many lines per second, so it formats it once per second.
struct SecondsCache {
  std::time_t second = -1;
  char text[kSecondsSize + 1] = {};
};

// The calling thread's line, emptied and started with the time and level of
// a line logged now. Its capacity is kept from line to line.
std::string& begin_line() {
  thread_local std::string line;
  thread_local SecondsCache cache;
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  auto second = static_cast<std::time_t>(ms / 1000);
  if (second != cache.second) {
    std::tm tm{};
    ::gmtime_r(&second, &tm);
    std::strftime(cache.text, sizeof cache.text, "%Y-%m-%dT%H:%M:%S", &tm);
    cache.second = second;
  }
  line.assign(cache.text, kSecondsSize);
  fmt::format_to(std::back_inserter(line), FMT_COMPILE(".{:03}"), ms % 1000);
  line.append(kLevel);
  return line;
}

void end_line(const std::string& line) {
  if (BatchedLineWriter* writer = installed.load(std::memory_order_acquire)) {
    writer->append(line);
  } else {
    spdlog::info("{}", std::string_view(line).substr(kPrefixSize));
  }
}

}  // namespace

AccessLog::AccessLog() : writer_(STDOUT_FILENO, "access log", BatchedLineWriter::Limits{}) {
  installed = &writer_;
}

AccessLog::~AccessLog() { stop(); }

void AccessLog::stop() {
  installed = nullptr;
  writer_.stop();
}

void log_request(std::string_view remote, std::string_view method, std::string_view target, unsigned status,
                 std::uint64_t body_bytes, double elapsed_ms) {
  std::string& line = begin_line();
  fmt::format_to(std::back_inserter(line), FMT_COMPILE("{} \"{} "), remote, method);
  append_redacted_target(line, target);
  fmt::format_to(std::back_inserter(line), FMT_COMPILE("\" {} {} {:.1f}ms"), status, body_bytes, elapsed_ms);
  end_line(line);
}

void log_refused_request(std::string_view remote, unsigned status, std::string_view reason) {
  std::string& line = begin_line();
  fmt::format_to(std::back_inserter(line), "{} \"-\" {} {}", remote, status, reason);
  end_line(line);
}

}  // namespace apiota::http
