#include "env/file_handle.h"

#include <unistd.h>

namespace apiota::env {

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

int FileHandle::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

}  // namespace apiota::env
