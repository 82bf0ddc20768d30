#pragma once
// The server key file, DATA/secret.key: exactly 32 random bytes, mode 0600
// (docs/security.md), and the fingerprint the database keeps of it.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "crypto/keyed_hash.h"

namespace apiota::cli {

// The file exists but is not a 32-byte key (truncated, or something else
// was written there). The message names the file and its size.
class MalformedKeyFile : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The key in `file`, or nullopt when there is no such file. Throws
// MalformedKeyFile when it does not hold exactly 32 bytes, and
// std::runtime_error naming the file when it cannot be read.
std::optional<crypto::ServerKey> read_server_key(const std::filesystem::path& file);

// Creates `file` exclusively (O_EXCL, mode 0600) with a new random key and
// returns it; when another process created it first, returns that one, so
// two processes starting on an empty folder cannot end up with different
// keys. Throws std::runtime_error naming the file on failure.
crypto::ServerKey create_server_key(const std::filesystem::path& file);

// HMAC-SHA-256 of a fixed label under the key, in hex: it tells keys apart
// and reveals nothing about the key itself.
std::string server_key_fingerprint(const crypto::KeyedHasher& hasher);

}  // namespace apiota::cli
