#include "crypto/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace apiota::crypto {

namespace {

// SHA-256 fetched once and kept for the life of the process: a fetch per
// message costs more than the hash of a short one.
const EVP_MD* fetched_sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("SHA-256 is not available");
  return md;
}

}  // namespace

void DigestContextDeleter::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

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

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::runtime_error("digest initialisation failed");
  fetched_sha256();
}

std::array<std::uint8_t, 32> Sha256Hasher::hash(std::initializer_list<std::string_view> parts) {
  std::array<std::uint8_t, 32> out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx_.get(), fetched_sha256(), nullptr) != 1) {
    throw std::runtime_error("digest initialisation failed");
  }
  for (std::string_view part : parts) EVP_DigestUpdate(ctx_.get(), part.data(), part.size());
  EVP_DigestFinal_ex(ctx_.get(), out.data(), &len);
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
