#include "env/posix_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace apiota::env::posix {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

FileHandle create_new_file(const std::filesystem::path& path, mode_t mode) {
  FileHandle fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (fd.get() < 0) throw_errno("create " + path.string());
  return fd;
}

FileHandle open_for_reading(const std::filesystem::path& path) {
  FileHandle fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw_errno("open " + path.string());
  return fd;
}

std::uint64_t file_size(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno("fstat");
  return static_cast<std::uint64_t>(st.st_size);
}

void write(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void sync(int fd) {
  if (::fsync(fd) != 0) throw_errno("fsync");
}

void rename(const std::filesystem::path& from, const std::filesystem::path& to) { std::filesystem::rename(from, to); }

void sync_dir(const std::filesystem::path& dir) {
  FileHandle fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) throw_errno("fsync " + dir.string());
}

std::error_code remove_file(const std::filesystem::path& path) noexcept {
  if (::unlink(path.c_str()) == 0) return {};
  return std::error_code(errno, std::generic_category());
}

std::vector<std::string> list_dir(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  return names;
}

}  // namespace apiota::env::posix
