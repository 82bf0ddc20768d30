#include <chrono>

#include "crypto/random.h"
#include "env/env.h"
#include "env/posix_files.h"

namespace apiota::env {
namespace {

class SystemEnv final : public Env {
 public:
  std::int64_t now_ms() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  std::chrono::steady_clock::time_point steady_now() override { return std::chrono::steady_clock::now(); }
  void random_bytes(std::span<std::uint8_t> out) override { crypto::fill_random(out); }

  FileHandle create_new_file(const std::filesystem::path& path, mode_t mode) override {
    return posix::create_new_file(path, mode);
  }
  FileHandle open_for_reading(const std::filesystem::path& path) override { return posix::open_for_reading(path); }
  std::uint64_t file_size(int fd) override { return posix::file_size(fd); }
  void write(int fd, std::string_view bytes) override { posix::write(fd, bytes); }
  void sync(int fd) override { posix::sync(fd); }
  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    posix::rename(from, to);
  }
  void sync_dir(const std::filesystem::path& dir) override { posix::sync_dir(dir); }
  std::error_code remove_file(const std::filesystem::path& path) noexcept override {
    return posix::remove_file(path);
  }
  std::vector<std::string> list_dir(const std::filesystem::path& dir) override { return posix::list_dir(dir); }
};

}  // namespace

Env& system_env() {
  static SystemEnv env;
  return env;
}

}  // namespace apiota::env
