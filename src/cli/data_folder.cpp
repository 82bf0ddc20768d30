#include "cli/data_folder.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "api/fleet_cache.h"
#include "crypto/random.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::cli {
namespace {

crypto::ServerKey read_key(const std::filesystem::path& file) {
  crypto::ServerKey key{};
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + file.string() + ": " + std::strerror(errno));
  ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(key.size())) throw std::runtime_error(file.string() + " is not a 32-byte key");
  return key;
}

// Creates the key file exclusively, so two processes starting on an empty
// folder cannot end up with different keys.
crypto::ServerKey load_or_create_key(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno != EEXIST) throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
    return read_key(file);
  }
  auto bytes = crypto::random_bytes(32);
  bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + file.string());
  crypto::ServerKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

}  // namespace

DataFolder::~DataFolder() {
  if (store && store->local_cache_changes() > 0) std::this_thread::sleep_for(api::kRecheckInterval);
}

DataFolder DataFolder::open(const std::filesystem::path& path) {
  std::filesystem::create_directories(path);
  DataFolder folder;
  folder.path = path;
  folder.hasher = std::make_unique<crypto::KeyedHasher>(load_or_create_key(path / "secret.key"));
  folder.store = std::make_unique<store::sqlite::SqliteStore>((path / "apiota.db").string());
  folder.blobs = std::make_unique<blob::BlobStore>(path);
  return folder;
}

}  // namespace apiota::cli
