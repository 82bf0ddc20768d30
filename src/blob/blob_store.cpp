#include "blob/blob_store.h"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "blob/private_directory.h"
#include "env/env.h"

namespace apiota::blob {
namespace {

// Runs `op`, naming `path` in the message of any std::system_error it throws.
template <class Op>
void naming(std::string_view what, const std::filesystem::path& path, Op op) {
  try {
    op();
  } catch (const std::system_error& e) {
    throw std::system_error(e.code(), std::string(what) + " " + path.string());
  }
}

}  // namespace

PendingBlob::~PendingBlob() {
  if (!committed_ && !path_.empty()) env_->remove_file(path_);
}

void PendingBlob::write(std::string_view bytes) {
  naming("write", path_, [&] { env_->write(fd_.get(), bytes); });
  size_ += bytes.size();
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

BlobStore::BlobStore(env::Env& env, std::filesystem::path root, std::chrono::seconds reuse_open_for)
    : env_(env), firmware_dir_(root / "firmware"), tmp_dir_(root / "tmp"), reuse_open_for_(reuse_open_for) {
  create_private_directory(firmware_dir_);
  create_private_directory(tmp_dir_);
}

BlobStore::BlobStore(std::filesystem::path root, std::chrono::seconds reuse_open_for)
    : BlobStore(env::system_env(), std::move(root), reuse_open_for) {}

PendingBlob BlobStore::create_pending() {
  auto path = tmp_dir_ / ("upload-" + env::random_alphanumeric(env_, 16) + ".part");
  FileHandle fd = env_.create_new_file(path, 0600);
  return PendingBlob(env_, std::move(path), std::move(fd));
}

void BlobStore::commit(PendingBlob& pending, std::string_view sha256_hex) {
  if (!is_valid_name(sha256_hex)) throw std::invalid_argument("blob name must be a sha256 hex digest");
  try {
    naming("fsync", pending.path_, [&] { env_.sync(pending.fd()); });
    env_.rename(pending.path_, blob_path(sha256_hex));
  } catch (const std::system_error&) {
    env_.remove_file(pending.path_);
    throw;
  }
  pending.committed_ = true;
  env_.sync_dir(firmware_dir_);
}

std::shared_ptr<const OpenBlob> BlobStore::open(std::string_view sha256_hex) const {
  if (!is_valid_name(sha256_hex)) return nullptr;
  const auto now = env_.steady_now();
  std::string name(sha256_hex);
  {
    std::lock_guard lock(open_mutex_);
    auto found = open_.find(name);
    if (found != open_.end() && now < found->second.until) return found->second.blob;
  }
  OpenBlob opened;
  try {
    opened.fd = env_.open_for_reading(blob_path(sha256_hex));
    opened.size = env_.file_size(opened.fd.get());
  } catch (const std::system_error&) {
    return nullptr;
  }
  auto blob = std::make_shared<const OpenBlob>(std::move(opened));
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
  env_.remove_file(blob_path(sha256_hex));
}

std::size_t BlobStore::clean_temp() {
  std::size_t removed = 0;
  for (const auto& name : env_.list_dir(tmp_dir_)) {
    if (!env_.remove_file(tmp_dir_ / name)) ++removed;
  }
  return removed;
}

std::size_t BlobStore::remove_unreferenced(const std::set<std::string, std::less<>>& referenced) {
  std::size_t removed = 0;
  for (const auto& name : env_.list_dir(firmware_dir_)) {
    std::string_view stem = name;
    if (stem.ends_with(".bin")) stem.remove_suffix(4);
    if (referenced.contains(stem)) continue;
    forget_open(stem);
    if (!env_.remove_file(firmware_dir_ / name)) ++removed;
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
