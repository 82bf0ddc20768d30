#pragma once
// Streaming message digests (SHA-256, MD5) and hex encoding, on OpenSSL's EVP
// interface.
//
// A Digest is fed any number of byte slices with update() and produces the
// digest once with finish(); after finish() the object must not be used again.
// Construction throws std::runtime_error only if OpenSSL cannot allocate a
// context. Objects are movable, not copyable, and not thread-safe: one stream
// per thread.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct evp_md_ctx_st;

namespace apiota::crypto {

enum class DigestKind { Sha256, Md5 };

class Digest {
 public:
  explicit Digest(DigestKind kind);
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  ~Digest();

  void update(std::span<const std::uint8_t> bytes);
  void update(std::string_view bytes);
  std::vector<std::uint8_t> finish();

 private:
  struct CtxDeleter {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxDeleter> ctx_;
};

// Lowercase hex of `bytes`.
std::string to_hex(std::span<const std::uint8_t> bytes);

// SHA-256 of `bytes`, raw 32 bytes.
std::vector<std::uint8_t> sha256(std::string_view bytes);

}  // namespace apiota::crypto
