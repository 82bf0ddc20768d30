#include "http/batched_line_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace apiota::http {
namespace {

using namespace std::chrono_literals;

// A temporary regular file, removed at the end.
class TempFile {
 public:
  TempFile() {
    char path[] = "/tmp/apiota-lines-XXXXXX";
    fd_ = ::mkstemp(path);
    path_ = path;
  }
  ~TempFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  std::string contents() const {
    std::string out;
    char chunk[65536];
    ssize_t n;
    off_t offset = 0;
    while ((n = ::pread(fd_, chunk, sizeof chunk, offset)) > 0) {
      out.append(chunk, static_cast<std::size_t>(n));
      offset += n;
    }
    return out;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start) + "<no newline>");
      break;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string line_text(int thread, int n) {
  return "thread " + std::to_string(thread) + " line " + std::to_string(n) + " " + std::string(60, 'x');
}

// Every line appears once, whole, and each thread's lines in their order.
void expect_all_lines(const std::vector<std::string>& lines, int threads, int per_thread) {
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(threads * per_thread));
  std::vector<int> next(static_cast<std::size_t>(threads), 0);
  for (const auto& line : lines) {
    int thread = -1;
    int n = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d", &thread, &n), 2) << line;
    ASSERT_GE(thread, 0);
    ASSERT_LT(thread, threads);
    ASSERT_EQ(line, line_text(thread, n));
    ASSERT_EQ(n, next[static_cast<std::size_t>(thread)]++) << "out of order: " << line;
  }
}

void append_from_threads(BatchedLineWriter& writer, int threads, int per_thread) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&writer, t, per_thread] {
      for (int i = 0; i < per_thread; ++i) writer.append(line_text(t, i));
    });
  }
  for (auto& w : workers) w.join();
}

TEST(BatchedLineWriter, WritesEveryLineOfEveryThreadToAFile) {
  TempFile file;
  {
    BatchedLineWriter writer(file.fd(), "test", {.interval = 5ms, .wake_bytes = 4096, .max_pending_bytes = 64 << 20});
    append_from_threads(writer, 4, 20000);
    writer.stop();
    EXPECT_EQ(writer.lost(), 0u);
  }
  expect_all_lines(lines_of(file.contents()), 4, 20000);
}

TEST(BatchedLineWriter, StopWritesLinesTheTimerHasNotTaken) {
  TempFile file;
  BatchedLineWriter writer(file.fd(), "test", {.interval = 1h, .wake_bytes = 1 << 20, .max_pending_bytes = 1 << 20});
  append_from_threads(writer, 2, 10);
  writer.stop();
  expect_all_lines(lines_of(file.contents()), 2, 10);
}

// Through a pipe the writer cuts its writes at line ends (PIPE_BUF pieces);
// a line longer than a piece still arrives whole.
TEST(BatchedLineWriter, WritesWholeLinesThroughAPipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string received;
  std::thread reader([&] {
    char chunk[8192];
    ssize_t n;
    while ((n = ::read(fds[0], chunk, sizeof chunk)) > 0) received.append(chunk, static_cast<std::size_t>(n));
  });
  const std::string long_line(3 * PIPE_BUF, 'L');
  {
    BatchedLineWriter writer(fds[1], "test", {.interval = 5ms, .wake_bytes = 4096, .max_pending_bytes = 64 << 20});
    append_from_threads(writer, 2, 5000);
    writer.append(long_line);
    writer.stop();
  }
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  auto lines = lines_of(received);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), long_line);
  lines.pop_back();
  expect_all_lines(lines, 2, 5000);
}

// When the output stalls, a thread's pending lines stay bounded: the excess
// is dropped and counted, never lost without a count.
TEST(BatchedLineWriter, CountsWhatItDropsWhileTheOutputStalls) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::fcntl(fds[1], F_SETPIPE_SZ, 4096);
  constexpr int kLines = 2000;
  BatchedLineWriter writer(fds[1], "test", {.interval = 1ms, .wake_bytes = 1024, .max_pending_bytes = 16 * 1024});
  for (int i = 0; i < kLines; ++i) writer.append(line_text(0, i));
  std::string received;
  std::thread reader([&] {
    char chunk[8192];
    ssize_t n;
    while ((n = ::read(fds[0], chunk, sizeof chunk)) > 0) received.append(chunk, static_cast<std::size_t>(n));
  });
  writer.stop();
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  auto lines = lines_of(received);
  EXPECT_GT(writer.lost(), 0u);
  EXPECT_LT(lines.size(), static_cast<std::size_t>(kLines));
  EXPECT_EQ(lines.size() + writer.lost(), static_cast<std::size_t>(kLines));
  int previous = -1;
  for (const auto& line : lines) {
    int thread = -1;
    int n = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d", &thread, &n), 2) << line;
    EXPECT_EQ(line, line_text(thread, n));
    EXPECT_GT(n, previous);
    previous = n;
  }
}

}  // namespace
}  // namespace apiota::http
