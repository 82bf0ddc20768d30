#pragma once
// FileHandle: an open file descriptor that is closed on destruction. Plain
// descriptors on purpose: downloads hand them to sendfile() and read them
// with pread() at explicit offsets, so one handle serves many readers.

namespace apiota::env {

class FileHandle {
 public:
  FileHandle() = default;
  explicit FileHandle(int fd) : fd_(fd) {}
  FileHandle(FileHandle&& other) noexcept : fd_(other.release()) {}
  FileHandle& operator=(FileHandle&& other) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  ~FileHandle();
  // The descriptor, or -1 when the handle holds none.
  int get() const { return fd_; }
  // Gives up ownership: returns the descriptor and holds none.
  int release();

 private:
  int fd_ = -1;
};

}  // namespace apiota::env
