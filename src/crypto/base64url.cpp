#include "crypto/base64url.h"

#include <openssl/evp.h>

#include <climits>
#include <stdexcept>

namespace apiota::crypto {

std::string base64url(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > INT_MAX / 2) throw std::length_error("base64url: input too large");
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

}  // namespace apiota::crypto
