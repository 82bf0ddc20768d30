#include "crypto/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace apiota::crypto {

void fill_random(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    const std::size_t chunk = std::min<std::size_t>(out.size(), INT_MAX);
    if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) throw std::runtime_error("RAND_bytes failed");
    out = out.subspan(chunk);
  }
}

std::vector<std::uint8_t> random_bytes(std::size_t count) {
  std::vector<std::uint8_t> out(count);
  fill_random(out);
  return out;
}

}  // namespace apiota::crypto
