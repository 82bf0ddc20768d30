#include "http/access_log.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

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

void append_time(fmt::memory_buffer& line, std::chrono::system_clock::time_point now) {
  thread_local SecondsCache cache;
  auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t second = static_cast<std::time_t>(since_epoch / 1000);
  if (second != cache.second) {
    std::tm tm{};
    ::gmtime_r(&second, &tm);
    std::strftime(cache.text, sizeof cache.text, "%Y-%m-%dT%H:%M:%S", &tm);
    cache.second = second;
  }
  line.append(std::string_view(cache.text, kSecondsSize));
  fmt::format_to(std::back_inserter(line), ".{:03}", since_epoch % 1000);
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

namespace detail {

fmt::memory_buffer& begin_access_line() {
  thread_local fmt::memory_buffer line;
  line.clear();
  append_time(line, std::chrono::system_clock::now());
  line.append(kLevel);
  return line;
}

void end_access_line(fmt::memory_buffer& line) {
  std::string_view text(line.data(), line.size());
  if (BatchedLineWriter* writer = installed.load(std::memory_order_acquire)) {
    writer->append(text);
  } else {
    spdlog::info("{}", text.substr(kPrefixSize));
  }
}

}  // namespace detail
}  // namespace apiota::http
