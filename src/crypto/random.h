#pragma once
// Cryptographically secure randomness from OpenSSL's RAND_bytes.
//
// Both functions throw std::runtime_error if the generator fails (it only
// does when the system entropy source is broken); they never return weak
// values. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace apiota::crypto {

std::vector<std::uint8_t> random_bytes(std::size_t count);

// `length` characters drawn uniformly from [0-9A-Za-z] (rejection sampling,
// no modulo bias): 5.95 bits each, so 22 characters carry > 128 bits.
std::string random_alphanumeric(std::size_t length);

}  // namespace apiota::crypto
