#pragma once
// Test support: hex digests computed with OpenSSL, independently of the
// server, to compare with the sha256 / md5 / x-MD5 / ETag values it reports.
//
// Each returns the lowercase hex digest of all the given bytes (64 characters
// for SHA-256, 32 for MD5) as a new string, and throws std::runtime_error if
// OpenSSL fails. Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace apiota::testing {

std::string sha256_hex(std::string_view bytes);
std::string sha256_hex(const std::vector<std::uint8_t>& bytes);
std::string md5_hex(std::string_view bytes);
std::string md5_hex(const std::vector<std::uint8_t>& bytes);

}  // namespace apiota::testing
