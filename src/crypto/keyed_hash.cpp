#include "crypto/keyed_hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>

#include "crypto/digest.h"

namespace apiota::crypto {

namespace {

struct MacDeleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};

}  // namespace

void KeyedHasher::ContextDeleter::operator()(evp_mac_ctx_st* ctx) const { EVP_MAC_CTX_free(ctx); }

KeyedHasher::KeyedHasher(const ServerKey& key) {
  std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) throw std::runtime_error("OpenSSL has no HMAC");
  keyed_.reset(EVP_MAC_CTX_new(mac.get()));
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
  if (!keyed_ || EVP_MAC_init(keyed_.get(), key.data(), key.size(), params) != 1) {
    throw std::runtime_error("cannot key HMAC-SHA-256");
  }
}

std::array<std::uint8_t, 32> KeyedHasher::raw(std::string_view domain, std::string_view message) const {
  std::unique_ptr<evp_mac_ctx_st, ContextDeleter> ctx(EVP_MAC_CTX_dup(keyed_.get()));
  const unsigned char separator = 0;
  std::array<std::uint8_t, 32> out{};
  std::size_t len = 0;
  if (!ctx || EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(domain.data()), domain.size()) != 1 ||
      EVP_MAC_update(ctx.get(), &separator, 1) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
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
