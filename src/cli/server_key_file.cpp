#include "cli/server_key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "blob/blob_store.h"
#include "crypto/random.h"
#include "env/env.h"
#include "domain/printable.h"

namespace apiota::cli {
namespace {

std::string shown(const std::filesystem::path& file) { return domain::printable(file.string()); }

[[noreturn]] void fail_errno(const std::string& what, const std::filesystem::path& file) {
  throw std::runtime_error(what + " " + shown(file) + ": " + std::strerror(errno));
}

}  // namespace

std::optional<crypto::ServerKey> read_server_key(const std::filesystem::path& file) {
  blob::FileHandle fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail_errno("cannot read", file);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno("cannot read", file);
  crypto::ServerKey key{};
  if (!S_ISREG(st.st_mode) || st.st_size != static_cast<off_t>(key.size())) {
    throw MalformedKeyFile(shown(file) + " holds " + std::to_string(st.st_size) +
                           " bytes; a server key is a file of exactly " + std::to_string(key.size()) + " bytes");
  }
  if (::read(fd.get(), key.data(), key.size()) != static_cast<ssize_t>(key.size())) fail_errno("cannot read", file);
  return key;
}

crypto::ServerKey create_server_key(const std::filesystem::path& file) {
  // Written in full under a temporary name, then linked into place: link()
  // fails if the name exists, so a reader never sees a partly written key.
  auto temp = file;
  temp += ".new-" + env::random_alphanumeric(env::system_env(), 12);
  auto bytes = crypto::random_bytes(32);
  {
    blob::FileHandle fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) fail_errno("cannot create", file);
    if (::write(fd.get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()) || ::fsync(fd.get()) != 0) {
      int error = errno;
      ::unlink(temp.c_str());
      errno = error;
      fail_errno("cannot write", file);
    }
  }
  int linked = ::link(temp.c_str(), file.c_str());
  int error = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    errno = error;
    if (errno != EEXIST) fail_errno("cannot create", file);
    if (auto existing = read_server_key(file)) return *existing;
    throw std::runtime_error(shown(file) + " disappeared while it was being read");
  }
  crypto::ServerKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

std::string server_key_fingerprint(const crypto::KeyedHasher& hasher) {
  return hasher.hex("server-key-fingerprint", "apiota");
}

}  // namespace apiota::cli
