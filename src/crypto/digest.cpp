#include "crypto/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace apiota::crypto {

void Digest::CtxDeleter::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Digest::Digest(DigestKind kind) : ctx_(EVP_MD_CTX_new()) {
  const EVP_MD* md = kind == DigestKind::Sha256 ? EVP_sha256() : EVP_md5();
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1) {
    throw std::runtime_error("digest initialisation failed");
  }
}

Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;
Digest::~Digest() = default;

void Digest::update(std::span<const std::uint8_t> bytes) {
  EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size());
}

void Digest::update(std::string_view bytes) { EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()); }

std::vector<std::uint8_t> Digest::finish() {
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_.get(), out.data(), &len);
  out.resize(len);
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

std::vector<std::uint8_t> sha256(std::string_view bytes) {
  Digest d(DigestKind::Sha256);
  d.update(bytes);
  return d.finish();
}

}  // namespace apiota::crypto
