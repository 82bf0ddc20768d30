#include <array>
#include <string_view>

#include "env/env.h"

namespace apiota::env {

std::string random_alphanumeric(Env& env, std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  // 62 * 4 = 248: bytes >= 248 are rejected so every symbol is equally likely.
  constexpr std::uint8_t kLimit = 248;
  std::string out;
  out.reserve(length);
  std::array<std::uint8_t, 64> bytes;
  while (out.size() < length) {
    env.random_bytes(bytes);
    for (std::uint8_t b : bytes) {
      if (b < kLimit && out.size() < length) out.push_back(kAlphabet[b % kAlphabet.size()]);
    }
  }
  return out;
}

}  // namespace apiota::env
