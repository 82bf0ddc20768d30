#include "support/fake_env.h"

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace apiota::testing {

FakeEnv::FakeEnv(std::int64_t start_ms) : start_ms_(start_ms) {}

std::int64_t FakeEnv::now_ms() { return start_ms_ + elapsed_ms_.load(); }

std::chrono::steady_clock::time_point FakeEnv::steady_now() {
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(elapsed_ms_.load()));
}

void FakeEnv::random_bytes(std::span<std::uint8_t> out) {
  // splitmix64: repeatable, and every byte value occurs.
  for (auto& byte : out) {
    std::uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    byte = static_cast<std::uint8_t>(z ^ (z >> 31));
  }
}

void FakeEnv::advance(std::chrono::milliseconds by) { elapsed_ms_ += by.count(); }

void FakeEnv::fail_next(Op op, int error) {
  std::lock_guard lock(faults_mutex_);
  faults_[static_cast<std::size_t>(op)] = Fault{error, true};
}

void FakeEnv::fail_always(Op op, int error) {
  std::lock_guard lock(faults_mutex_);
  faults_[static_cast<std::size_t>(op)] = Fault{error, false};
}

void FakeEnv::disk_full_after(std::uint64_t bytes) {
  std::lock_guard lock(faults_mutex_);
  disk_space_ = bytes;
}

void FakeEnv::heal() {
  std::lock_guard lock(faults_mutex_);
  faults_.fill(Fault{});
  disk_space_.reset();
}

int FakeEnv::calls(Op op) const {
  std::lock_guard lock(faults_mutex_);
  return calls_[static_cast<std::size_t>(op)];
}

int FakeEnv::begin(Op op) {
  std::lock_guard lock(faults_mutex_);
  const auto index = static_cast<std::size_t>(op);
  ++calls_[index];
  Fault& fault = faults_[index];
  const int error = fault.error;
  if (fault.once) fault = Fault{};
  return error;
}

void FakeEnv::check(Op op, const char* what) {
  if (int error = begin(op)) throw std::system_error(error, std::generic_category(), what);
}

env::FileHandle FakeEnv::create_new_file(const std::filesystem::path& path, mode_t mode) {
  check(Op::CreateNewFile, "create");
  return env::system_env().create_new_file(path, mode);
}

env::FileHandle FakeEnv::open_for_reading(const std::filesystem::path& path) {
  check(Op::OpenForReading, "open");
  return env::system_env().open_for_reading(path);
}

std::uint64_t FakeEnv::file_size(int fd) {
  check(Op::FileSize, "fstat");
  return env::system_env().file_size(fd);
}

void FakeEnv::write(int fd, std::string_view bytes) {
  check(Op::Write, "write");
  std::string_view fits = bytes;
  {
    std::lock_guard lock(faults_mutex_);
    if (disk_space_) {
      fits = bytes.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(*disk_space_, bytes.size())));
      *disk_space_ -= fits.size();
    }
  }
  env::system_env().write(fd, fits);
  if (fits.size() < bytes.size()) throw std::system_error(ENOSPC, std::generic_category(), "write");
}

void FakeEnv::sync(int fd) {
  check(Op::Sync, "fsync");
  env::system_env().sync(fd);
}

void FakeEnv::rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  check(Op::Rename, "rename");
  env::system_env().rename(from, to);
}

void FakeEnv::sync_dir(const std::filesystem::path& dir) {
  check(Op::SyncDir, "fsync");
  env::system_env().sync_dir(dir);
}

std::error_code FakeEnv::remove_file(const std::filesystem::path& path) noexcept {
  if (int error = begin(Op::RemoveFile)) return std::error_code(error, std::generic_category());
  return env::system_env().remove_file(path);
}

std::vector<std::string> FakeEnv::list_dir(const std::filesystem::path& dir) {
  check(Op::ListDir, "list");
  return env::system_env().list_dir(dir);
}

}  // namespace apiota::testing
