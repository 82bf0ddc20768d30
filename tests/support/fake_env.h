#pragma once
// FakeEnv: an env::Env for unit tests. Its clocks stand still until the test
// moves them (advance()), so time-driven behaviour is tested without sleeps;
// its randomness is a fixed, repeatable byte sequence.
//
// Its file operations run on the real file system (env::system_env()) until
// the test arms a fault, so code under test works on real files in a temp
// folder and a test chooses exactly which call fails, and how:
//
//   env.fail_next(FakeEnv::Op::Sync, EIO);   // the next fsync fails once
//   env.fail_always(FakeEnv::Op::Rename, EXDEV);  // every rename, until heal()
//   env.disk_full_after(1000);  // 1000 more bytes fit, then ENOSPC
//   env.heal();                 // everything works again
//
// A failing call does nothing and throws std::system_error with the armed
// errno (remove_file() returns it instead), as the real call would. Faults
// are counted per call, from any thread.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>

#include "env/env.h"

namespace apiota::testing {

class FakeEnv : public env::Env {
 public:
  // The file operations a fault can be armed for, one per Env method.
  enum class Op { CreateNewFile, OpenForReading, FileSize, Write, Sync, Rename, SyncDir, RemoveFile, ListDir };

  // Starts at `start_ms` (Unix ms) on the wall clock.
  explicit FakeEnv(std::int64_t start_ms = 1'780'000'000'000);

  std::int64_t now_ms() override;
  std::chrono::steady_clock::time_point steady_now() override;
  void random_bytes(std::span<std::uint8_t> out) override;

  // Moves both clocks forward by `by`.
  void advance(std::chrono::milliseconds by);

  // The next call of `op` fails with `error` (an errno value); the calls
  // after it run normally.
  void fail_next(Op op, int error);
  // Every call of `op` from now on fails with `error`, until heal().
  void fail_always(Op op, int error);
  // The disk fills up after `bytes` more bytes: the write that crosses the
  // limit writes the part that fits, then fails with ENOSPC, and so does
  // every later write, until heal().
  void disk_full_after(std::uint64_t bytes);
  // Disarms every fault; the file system works normally again.
  void heal();
  // How many times `op` was called, failed calls included.
  int calls(Op op) const;

  env::FileHandle create_new_file(const std::filesystem::path& path, mode_t mode) override;
  env::FileHandle open_for_reading(const std::filesystem::path& path) override;
  std::uint64_t file_size(int fd) override;
  void write(int fd, std::string_view bytes) override;
  void sync(int fd) override;
  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
  void sync_dir(const std::filesystem::path& dir) override;
  std::error_code remove_file(const std::filesystem::path& path) noexcept override;
  std::vector<std::string> list_dir(const std::filesystem::path& dir) override;

 private:
  static constexpr std::size_t kOps = static_cast<std::size_t>(Op::ListDir) + 1;
  struct Fault {
    int error = 0;  // 0: none armed
    bool once = false;
  };
  // Counts a call of `op` and returns the errno it must fail with, or 0.
  int begin(Op op);
  // Throws the failure of `op` when one is armed.
  void check(Op op, const char* what);

  std::atomic<std::int64_t> elapsed_ms_{0};
  const std::int64_t start_ms_;
  std::atomic<std::uint64_t> random_state_{0x9e3779b97f4a7c15ULL};

  mutable std::mutex faults_mutex_;
  std::array<Fault, kOps> faults_{};
  std::array<int, kOps> calls_{};
  std::optional<std::uint64_t> disk_space_;  // bytes that still fit, when limited
};

}  // namespace apiota::testing
