#include "crypto/keyed_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "crypto/digest.h"

namespace apiota::crypto {

KeyedHasher::KeyedHasher(const ServerKey& key) : key_(key) {}

std::array<std::uint8_t, 32> KeyedHasher::raw(std::string_view domain, std::string_view message) const {
  std::string input;
  input.reserve(domain.size() + 1 + message.size());
  input.append(domain);
  input.push_back('\0');
  input.append(message);
  std::array<std::uint8_t, 32> out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), out.data(), &len) == nullptr ||
      len != out.size()) {
    throw std::runtime_error("HMAC failed");
  }
  return out;
}

std::string KeyedHasher::hex(std::string_view domain, std::string_view message) const {
  auto digest = raw(domain, message);
  return to_hex(digest);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace apiota::crypto
