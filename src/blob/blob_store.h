#pragma once
// BlobStore: firmware files on the local file system, stored by content.
//
// Layout under the root folder: `firmware/<sha256>.bin` holds committed
// blobs, `tmp/` holds uploads in progress. A blob is written to a temp file
// (PendingBlob), checked by the caller, then commit() fsyncs it and renames it
// to its content name atomically; a process killed mid-upload leaves only a
// temp file, which clean_temp() removes at start-up. Because names are
// content hashes, two uploads of the same bytes share one blob and a commit
// never replaces different content.
//
// Failures: nothing half-written is ever visible under a content name, and
// a blob committed before is never touched by a failed upload.
// - A failed write (disk full, I/O error) throws std::system_error; the temp
//   file is removed when the PendingBlob is dropped, as every caller does.
// - A failed fsync or rename in commit() removes the temp file and throws
//   std::system_error; no content name was created or changed.
// - A failed fsync of the folder after the rename throws std::system_error;
//   the blob is then complete under its name (its data was fsynced first)
//   and, if no release refers to it, remove_unreferenced() takes it away at
//   the next start. It is not removed at once: an earlier upload of the same
//   bytes may own that name.
//
// Names given to open()/remove() are validated: anything other than 64
// lowercase hex digits is reported as not found, so no caller-supplied string
// can reach outside the folder. Thread-safe; methods block on disk I/O. All
// file access, the reuse window's clock and temp names go through the
// env::Env given at construction.
//
// Opened blobs are shared and kept open for reuse for `reuse_open_for`
// (default 60 s), so a busy download path does not open, stat and close the
// file for every request (sendfile reads at an explicit offset, so one
// descriptor serves any number of downloads at once). remove() forgets the
// blob at once; a blob deleted by another process (the CLI) keeps its disk
// space until the server's reuse window ends. Content-addressed names mean a
// reused descriptor always has the bytes its name promises.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/byte_source.h"
#include "env/env.h"
#include "env/file_handle.h"

namespace apiota::blob {

// The CLI's own files use the same descriptor owner.
using FileHandle = env::FileHandle;

// An upload being written. Destroying it without commit() removes the temp file.
class PendingBlob {
 public:
  PendingBlob(env::Env& env, std::filesystem::path path, FileHandle fd)
      : env_(&env), path_(std::move(path)), fd_(std::move(fd)) {}
  PendingBlob(PendingBlob&&) noexcept = default;
  PendingBlob& operator=(PendingBlob&&) noexcept = delete;
  ~PendingBlob();

  // Appends bytes; throws std::system_error on a write failure (disk full).
  void write(std::string_view bytes);
  std::uint64_t size() const { return size_; }
  int fd() const { return fd_.get(); }

 private:
  friend class BlobStore;
  env::Env* env_;
  std::filesystem::path path_;
  FileHandle fd_;
  std::uint64_t size_ = 0;
  bool committed_ = false;
};

// A committed blob opened for reading; shared by the downloads that send it.
struct OpenBlob {
  FileHandle fd;
  std::uint64_t size = 0;
};

// Reads a file by pread(); lets the image validator inspect an upload without
// loading it.
class FileByteSource final : public domain::ByteSource {
 public:
  FileByteSource(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  std::uint64_t size() const override { return size_; }
  bool read(std::uint64_t offset, std::span<std::uint8_t> out) const override;

 private:
  int fd_;
  std::uint64_t size_;
};

class BlobStore {
 public:
  // Creates `root`/firmware and `root`/tmp (mode 0700) if missing; blobs are
  // written with mode 0600. Throws std::filesystem::filesystem_error when the
  // folders cannot be created. `env` must outlive the store.
  BlobStore(env::Env& env, std::filesystem::path root,
            std::chrono::seconds reuse_open_for = std::chrono::seconds(60));
  // The same on env::system_env().
  explicit BlobStore(std::filesystem::path root, std::chrono::seconds reuse_open_for = std::chrono::seconds(60));

  // A new, empty temp file under tmp/; throws std::system_error.
  PendingBlob create_pending();
  // fsyncs the data, renames it to firmware/<sha256>.bin and fsyncs the
  // folder; throws std::invalid_argument for a name that is not a digest and
  // std::system_error as the header says.
  void commit(PendingBlob& pending, std::string_view sha256_hex);
  // The committed blob, or null when there is none by that name.
  std::shared_ptr<const OpenBlob> open(std::string_view sha256_hex) const;
  void remove(std::string_view sha256_hex);

  // Start-up housekeeping; each returns how many files it removed.
  std::size_t clean_temp();
  std::size_t remove_unreferenced(const std::set<std::string, std::less<>>& referenced_sha256s);

  static bool is_valid_name(std::string_view sha256_hex);

 private:
  std::filesystem::path blob_path(std::string_view sha256_hex) const;
  void forget_open(std::string_view sha256_hex);

  struct ReusableBlob {
    std::shared_ptr<const OpenBlob> blob;
    std::chrono::steady_clock::time_point until;
  };

  env::Env& env_;
  std::filesystem::path firmware_dir_;
  std::filesystem::path tmp_dir_;
  std::chrono::seconds reuse_open_for_;
  mutable std::mutex open_mutex_;
  mutable std::unordered_map<std::string, ReusableBlob> open_;  // by sha256 name
};

}  // namespace apiota::blob
