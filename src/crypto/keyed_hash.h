#pragma once
// Keyed hashing of secrets with a server key (HMAC-SHA-256), and constant-time
// comparison.
//
// Why HMAC and not a slow KDF: device secrets are checked on every poll
// (thousands per second), so a per-request scrypt/argon2 would dominate the
// hot path. Every stored hash is keyed with a 256-bit server key that lives in
// the data folder (`secret.key`, mode 0600), never in the database: a leaked
// database alone gives an attacker nothing to brute-force offline, and with
// per-device salts equal secrets give unequal hashes. Provisioning/admin keys
// are 128+ bit random strings, so a keyed hash of them is as strong as the
// key itself. The scheme is described in docs/security.md.
//
// KeyedHasher is immutable after construction and safe to share across
// threads. It keeps one HMAC context keyed once (the key's inner and outer
// pad digests already computed); each hash works on a copy of it, which
// costs a fraction of OpenSSL's one-shot HMAC() with its per-call algorithm
// fetch.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;

namespace apiota::crypto {

using ServerKey = std::array<std::uint8_t, 32>;

class KeyedHasher {
 public:
  // Throws std::runtime_error if OpenSSL has no HMAC-SHA-256.
  explicit KeyedHasher(const ServerKey& key);

  // Lowercase hex HMAC-SHA-256(server key, domain || 0x00 || message). The
  // domain separates uses (device secrets, API keys, download tokens) so a
  // value valid for one can never be replayed as another.
  std::string hex(std::string_view domain, std::string_view message) const;

  // Raw 32-byte form of hex().
  std::array<std::uint8_t, 32> raw(std::string_view domain, std::string_view message) const;

 private:
  struct ContextDeleter {
    void operator()(evp_mac_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_mac_ctx_st, ContextDeleter> keyed_;
};

// True when `a` and `b` are equal; the time taken depends only on the
// lengths, never on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace apiota::crypto
