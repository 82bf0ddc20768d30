#pragma once
// Cryptographically secure randomness from OpenSSL's RAND_bytes.
//
// Both functions throw std::runtime_error if the generator fails (it only
// does when the system entropy source is broken); they never return weak
// values. Thread-safe. Use-cases draw randomness through env::Env
// (env/env.h), whose real implementation calls fill_random().

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace apiota::crypto {

void fill_random(std::span<std::uint8_t> out);
std::vector<std::uint8_t> random_bytes(std::size_t count);

}  // namespace apiota::crypto
