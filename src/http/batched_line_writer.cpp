#include "http/batched_line_writer.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <iterator>
#include <limits>

namespace apiota::http {
namespace {

std::atomic<std::uint64_t> next_writer_id{1};

// The buffer this thread last used, and the writer it belongs to: the common
// case (one writer, long-lived threads) finds its buffer without a lock.
struct CachedBuffer {
  std::uint64_t writer_id = 0;
  void* buffer = nullptr;
};
thread_local CachedBuffer cached_buffer;

std::size_t max_write_for(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) return std::numeric_limits<std::size_t>::max();
  return PIPE_BUF;
}

bool write_all(int fd, const char* data, std::size_t size, int& error) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

BatchedLineWriter::BatchedLineWriter(int fd, std::string name, Limits limits)
    : id_(next_writer_id++), fd_(fd), name_(std::move(name)), limits_(limits), max_write_(max_write_for(fd)) {
  thread_ = std::thread([this] { run(); });
}

BatchedLineWriter::~BatchedLineWriter() { stop(); }

BatchedLineWriter::ThreadBuffer& BatchedLineWriter::buffer_of_this_thread() {
  if (cached_buffer.writer_id == id_) return *static_cast<ThreadBuffer*>(cached_buffer.buffer);
  std::lock_guard lock(registry_mutex_);
  auto me = std::this_thread::get_id();
  auto it = std::find_if(buffers_.begin(), buffers_.end(), [&](const auto& entry) { return entry.first == me; });
  if (it == buffers_.end()) {
    buffers_.emplace_back(me, std::make_unique<ThreadBuffer>());
    it = std::prev(buffers_.end());
  }
  cached_buffer = {id_, it->second.get()};
  return *it->second;
}

void BatchedLineWriter::append(std::string_view line) {
  ThreadBuffer& buffer = buffer_of_this_thread();
  bool wake = false;
  {
    std::lock_guard lock(buffer.mutex);
    if (buffer.text.size() + line.size() + 1 > limits_.max_pending_bytes) {
      ++buffer.dropped;
    } else {
      buffer.text.append(line).push_back('\n');
    }
    if (buffer.text.size() >= limits_.wake_bytes && !buffer.wake_sent) {
      buffer.wake_sent = true;
      wake = true;
    }
  }
  if (wake) {
    {
      std::lock_guard lock(wake_mutex_);
      woken_ = true;
    }
    wake_.notify_one();
  }
}

void BatchedLineWriter::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::uint64_t BatchedLineWriter::lost() const { return lost_; }

void BatchedLineWriter::run() {
  std::unique_lock lock(wake_mutex_);
  while (true) {
    wake_.wait_for(lock, limits_.interval, [this] { return woken_ || stopping_; });
    woken_ = false;
    const bool last = stopping_;
    lock.unlock();
    drain();
    if (last) return;
    lock.lock();
  }
}

void BatchedLineWriter::drain() {
  {
    std::lock_guard lock(registry_mutex_);
    snapshot_.clear();
    for (auto& entry : buffers_) snapshot_.push_back(entry.second.get());
  }
  std::uint64_t dropped = 0;
  std::uint64_t failed = 0;
  int error = 0;
  for (ThreadBuffer* buffer : snapshot_) {
    {
      std::lock_guard lock(buffer->mutex);
      std::swap(buffer->text, batch_);
      dropped += buffer->dropped;
      buffer->dropped = 0;
      buffer->wake_sent = false;
    }
    if (!batch_.empty()) failed += write_out(batch_, error);
    batch_.clear();
  }
  if (dropped + failed == 0) return;
  lost_ += dropped + failed;
  if (dropped > 0) spdlog::warn("{}: {} lines dropped: they came faster than the output took them", name_, dropped);
  if (failed > 0) spdlog::warn("{}: {} lines lost: write failed: {}", name_, failed, std::strerror(error));
}

// Writes whole lines; returns how many a failed write() lost (and its errno
// in `error`).
std::uint64_t BatchedLineWriter::write_out(std::string_view text, int& error) {
  while (!text.empty()) {
    std::size_t size = text.size();
    if (size > max_write_) {
      // Every line ends in '\n', so a cut is always found; one line longer
      // than a piece goes whole.
      auto cut = text.rfind('\n', max_write_ - 1);
      size = (cut == std::string_view::npos ? text.find('\n') : cut) + 1;
    }
    if (!write_all(fd_, text.data(), size, error)) {
      return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
    }
    text.remove_prefix(size);
  }
  return 0;
}

}  // namespace apiota::http
