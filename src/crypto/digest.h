#pragma once
// Streaming message digests (SHA-256, MD5), a reusable SHA-256 hasher for
// many short messages, and hex encoding, on OpenSSL's EVP interface.
//
// A Digest is fed any number of byte slices with update() and produces the
// digest once with finish(); after finish() the object must not be used again.
// Construction throws std::runtime_error only if OpenSSL cannot allocate a
// context. Objects are movable, not copyable, and not thread-safe: one stream
// per thread.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct evp_md_ctx_st;

namespace apiota::crypto {

enum class DigestKind { Sha256, Md5 };

struct DigestContextDeleter {
  void operator()(evp_md_ctx_st* ctx) const;
};

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
  std::unique_ptr<evp_md_ctx_st, DigestContextDeleter> ctx_;
};

// SHA-256 of many short messages one after another (a cohort hash per device
// over a whole fleet): one OpenSSL context reused for every message, and
// SHA-256 fetched from the provider once per process instead of once per
// message, so a message costs no allocation or algorithm lookup (about a
// third of a Digest per message). hash() answers the SHA-256 of the
// concatenation of `parts`. Construction throws std::runtime_error if OpenSSL
// cannot allocate the context or find SHA-256. Movable, not copyable, not
// thread-safe: one per thread.
class Sha256Hasher {
 public:
  Sha256Hasher();
  std::array<std::uint8_t, 32> hash(std::initializer_list<std::string_view> parts);

 private:
  std::unique_ptr<evp_md_ctx_st, DigestContextDeleter> ctx_;
};

// Lowercase hex of `bytes`.
std::string to_hex(std::span<const std::uint8_t> bytes);

// SHA-256 of `bytes`, raw 32 bytes.
std::vector<std::uint8_t> sha256(std::string_view bytes);

}  // namespace apiota::crypto
