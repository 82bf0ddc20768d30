#pragma once
// BatchedLineWriter: lines from many threads, written to one file descriptor
// by one background thread in large writes.
//
// append() copies a line into a buffer owned by the calling thread: one
// uncontended lock, no system call, and no wake-up unless that buffer holds
// more than `wake_bytes`. The writer thread takes every thread's buffer each
// `interval` (sooner when woken) and writes it. Lines of one thread keep
// their order; lines of different threads interleave batch by batch.
//
// Memory is bounded: a thread's unwritten lines never exceed
// `max_pending_bytes`. Past that (the descriptor does not keep up) a line is
// dropped and counted; the writer reports each new count with spdlog::warn,
// and so it does for lines a failed write() lost. Nothing is lost silently.
//
// To a pipe or socket, writes are cut at line ends into pieces of at most
// PIPE_BUF bytes, so they never interleave mid-line with other writers of
// the same descriptor (spdlog's own lines); to a regular file they go whole.
//
// stop() (also run by the destructor) writes every line appended before it
// was called, then ends the thread. append() must not run concurrently with
// or after stop().

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace apiota::http {

class BatchedLineWriter {
 public:
  struct Limits {
    std::chrono::milliseconds interval{100};
    std::size_t wake_bytes = 128 * 1024;
    std::size_t max_pending_bytes = 4 * 1024 * 1024;  // per appending thread
  };

  // `name` prefixes the warnings about lost lines. The descriptor stays open
  // (and owned by the caller) after stop().
  BatchedLineWriter(int fd, std::string name, Limits limits);
  ~BatchedLineWriter();
  BatchedLineWriter(const BatchedLineWriter&) = delete;
  BatchedLineWriter& operator=(const BatchedLineWriter&) = delete;

  // Queues `line` (without its newline; one is added) for writing.
  void append(std::string_view line);
  void stop();
  // Lines dropped or lost to write errors so far (counted when the writer
  // notices them, at its next pass).
  std::uint64_t lost() const;

 private:
  // A cache line each: two threads appending to neighbouring buffers must
  // not contend for one line.
  struct alignas(64) ThreadBuffer {
    std::mutex mutex;
    std::string text;
    std::uint64_t dropped = 0;
    bool wake_sent = false;
  };

  ThreadBuffer& buffer_of_this_thread();
  void run();
  void drain();
  std::uint64_t write_out(std::string_view text, int& error);

  const std::uint64_t id_;
  const int fd_;
  const std::string name_;
  const Limits limits_;
  const std::size_t max_write_;

  std::mutex registry_mutex_;
  std::vector<std::pair<std::thread::id, std::unique_ptr<ThreadBuffer>>> buffers_;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;

  // Touched by the writer thread only.
  std::vector<ThreadBuffer*> snapshot_;
  std::string batch_;

  std::atomic<std::uint64_t> lost_{0};
  std::thread thread_;
};

}  // namespace apiota::http
