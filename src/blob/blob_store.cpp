#include "blob/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "blob/private_directory.h"
#include "env/env.h"

namespace apiota::blob {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void fsync_dir(const std::filesystem::path& dir) {
  FileHandle fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) throw_errno("fsync " + dir.string());
}

}  // namespace

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

PendingBlob::~PendingBlob() {
  if (!committed_ && !path_.empty()) {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
}

void PendingBlob::write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + path_.string());
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    size_ += static_cast<std::uint64_t>(n);
  }
}

bool FileByteSource::read(std::uint64_t offset, std::span<std::uint8_t> out) const {
  if (offset > size_ || out.size() > size_ - offset) return false;
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

BlobStore::BlobStore(std::filesystem::path root, std::chrono::seconds reuse_open_for)
    : firmware_dir_(root / "firmware"), tmp_dir_(root / "tmp"), reuse_open_for_(reuse_open_for) {
  create_private_directory(firmware_dir_);
  create_private_directory(tmp_dir_);
}

PendingBlob BlobStore::create_pending() {
  auto path = tmp_dir_ / ("upload-" + env::random_alphanumeric(env::system_env(), 16) + ".part");
  FileHandle fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) throw_errno("create " + path.string());
  return PendingBlob(std::move(path), std::move(fd));
}

void BlobStore::commit(PendingBlob& pending, std::string_view sha256_hex) {
  if (!is_valid_name(sha256_hex)) throw std::invalid_argument("blob name must be a sha256 hex digest");
  if (::fsync(pending.fd()) != 0) throw_errno("fsync " + pending.path_.string());
  auto target = blob_path(sha256_hex);
  std::filesystem::rename(pending.path_, target);
  pending.committed_ = true;
  fsync_dir(firmware_dir_);
}

std::shared_ptr<const OpenBlob> BlobStore::open(std::string_view sha256_hex) const {
  if (!is_valid_name(sha256_hex)) return nullptr;
  const auto now = std::chrono::steady_clock::now();
  std::string name(sha256_hex);
  {
    std::lock_guard lock(open_mutex_);
    auto found = open_.find(name);
    if (found != open_.end() && now < found->second.until) return found->second.blob;
  }
  FileHandle fd(::open(blob_path(sha256_hex).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return nullptr;
  auto blob = std::make_shared<const OpenBlob>(OpenBlob{std::move(fd), static_cast<std::uint64_t>(st.st_size)});
  std::lock_guard lock(open_mutex_);
  std::erase_if(open_, [&](const auto& entry) { return entry.second.until <= now; });
  open_[std::move(name)] = ReusableBlob{blob, now + reuse_open_for_};
  return blob;
}

void BlobStore::forget_open(std::string_view sha256_hex) {
  std::lock_guard lock(open_mutex_);
  open_.erase(std::string(sha256_hex));
}

void BlobStore::remove(std::string_view sha256_hex) {
  if (!is_valid_name(sha256_hex)) return;
  forget_open(sha256_hex);
  std::error_code ec;
  std::filesystem::remove(blob_path(sha256_hex), ec);
}

std::size_t BlobStore::clean_temp() {
  std::size_t removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(tmp_dir_)) {
    std::error_code ec;
    if (std::filesystem::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

std::size_t BlobStore::remove_unreferenced(const std::set<std::string, std::less<>>& referenced) {
  std::size_t removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(firmware_dir_)) {
    auto name = entry.path().filename().string();
    std::string_view stem = name;
    if (stem.ends_with(".bin")) stem.remove_suffix(4);
    if (referenced.contains(stem)) continue;
    forget_open(stem);
    std::error_code ec;
    if (std::filesystem::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

bool BlobStore::is_valid_name(std::string_view name) {
  if (name.size() != 64) return false;
  for (char c : name) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::filesystem::path BlobStore::blob_path(std::string_view sha256_hex) const {
  return firmware_dir_ / (std::string(sha256_hex) + ".bin");
}

}  // namespace apiota::blob
