#include "crypto/random.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <string_view>

namespace apiota::crypto {

std::vector<std::uint8_t> random_bytes(std::size_t count) {
  std::vector<std::uint8_t> out(count);
  if (count > 0 && RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

std::string random_alphanumeric(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  // 62 * 4 = 248: bytes >= 248 are rejected so every symbol is equally likely.
  constexpr std::uint8_t kLimit = 248;
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (std::uint8_t b : random_bytes(length)) {
      if (b < kLimit && out.size() < length) out.push_back(kAlphabet[b % kAlphabet.size()]);
    }
  }
  return out;
}

}  // namespace apiota::crypto
