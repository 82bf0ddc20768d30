#pragma once
// Env: the one seam between apiota's use-cases and the operating system, in
// the spirit of LevelDB's Env. Everything that reads the clock, draws
// randomness or writes the files it keeps (the firmware blobs) gets them from
// an Env it was given, never from a global, so tests can run the use-cases on
// a fake clock (no sleeps) and with chosen faults (a write or fsync that
// fails, a full disk).
//
// system_env() is the real one: the system clocks, OpenSSL's generator and
// POSIX file calls. Tests use tests/support/fake_env.h. Implementations are
// thread-safe.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "env/file_handle.h"

namespace apiota::env {

class Env {
 public:
  virtual ~Env() = default;

  // Wall-clock time as the store keeps it: Unix milliseconds, UTC.
  virtual std::int64_t now_ms() = 0;
  // Monotonic time, for intervals, rate limits and re-check periods.
  virtual std::chrono::steady_clock::time_point steady_now() = 0;
  // Fills `out` with cryptographically secure random bytes. Throws
  // std::runtime_error when the generator fails; never returns weak bytes.
  virtual void random_bytes(std::span<std::uint8_t> out) = 0;

  // Files. Each is one POSIX call (or a loop of one), and each failure
  // throws std::system_error (or its subclass std::filesystem::filesystem_error)
  // carrying the call's errno, except remove_file(), which returns it.
  // Descriptors are plain and close-on-exec, so sendfile() and pread() work
  // on them directly.

  // Creates `path`, which must not exist yet (O_CREAT | O_EXCL), open for
  // reading and writing, with permission bits `mode`.
  virtual FileHandle create_new_file(const std::filesystem::path& path, mode_t mode) = 0;
  // Opens an existing file read-only; ENOENT when there is none.
  virtual FileHandle open_for_reading(const std::filesystem::path& path) = 0;
  // The size in bytes of the open file `fd` (fstat).
  virtual std::uint64_t file_size(int fd) = 0;
  // Writes all of `bytes` at `fd`'s position, retrying short writes and
  // EINTR. After a failure any prefix of `bytes` may have been written.
  virtual void write(int fd, std::string_view bytes) = 0;
  // fsync(): `fd`'s data and size are on the disk when it returns.
  virtual void sync(int fd) = 0;
  // rename(): `to` names `from`'s file atomically, replacing any file `to`
  // named; on failure nothing changed.
  virtual void rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  // fsyncs the folder `dir`, so names created, renamed or removed in it
  // survive a crash.
  virtual void sync_dir(const std::filesystem::path& dir) = 0;
  // unlink(): an empty error_code when the file was removed, else why not
  // (ENOENT when there was none). Returned, not thrown: every caller removes
  // on a best-effort basis, some from destructors.
  virtual std::error_code remove_file(const std::filesystem::path& path) noexcept = 0;
  // The names of the entries in the folder `dir` (without "." and "..").
  virtual std::vector<std::string> list_dir(const std::filesystem::path& dir) = 0;
};

// The process-wide real Env.
Env& system_env();

// `length` characters drawn uniformly from [0-9A-Za-z] with env's
// randomness (rejection sampling, no modulo bias): 5.95 bits each.
std::string random_alphanumeric(Env& env, std::size_t length);

}  // namespace apiota::env
