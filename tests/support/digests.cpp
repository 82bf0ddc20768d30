#include "support/digests.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace apiota::testing {
namespace {

std::string hex_digest(const EVP_MD* md, const void* data, std::size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data, size, digest, &len, md, nullptr) != 1) throw std::runtime_error("EVP_Digest failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) { return hex_digest(EVP_sha256(), bytes.data(), bytes.size()); }
std::string sha256_hex(const std::vector<std::uint8_t>& bytes) {
  return hex_digest(EVP_sha256(), bytes.data(), bytes.size());
}
std::string md5_hex(std::string_view bytes) { return hex_digest(EVP_md5(), bytes.data(), bytes.size()); }
std::string md5_hex(const std::vector<std::uint8_t>& bytes) {
  return hex_digest(EVP_md5(), bytes.data(), bytes.size());
}

}  // namespace apiota::testing
