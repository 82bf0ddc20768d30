#pragma once
// Env: the one seam between apiota's use-cases and the operating system, in
// the spirit of LevelDB's Env. Everything that reads the clock or draws
// randomness gets it from an Env it was given, never from a global, so tests
// can run the use-cases on a fake clock (no sleeps) and with chosen faults.
//
// system_env() is the real one: the system clocks and OpenSSL's generator.
// Tests use tests/support/fake_env.h. Implementations are thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace apiota::env {

class Env {
 public:
  virtual ~Env() = default;

  // Wall-clock time as the store keeps it: Unix milliseconds, UTC.
  virtual std::int64_t now_ms() = 0;
  // Monotonic time, for intervals, rate limits and re-check periods.
  virtual std::chrono::steady_clock::time_point steady_now() = 0;
  // Fills `out` with cryptographically secure random bytes. Throws
  // std::runtime_error when the generator fails; never returns weak bytes.
  virtual void random_bytes(std::span<std::uint8_t> out) = 0;
};

// The process-wide real Env.
Env& system_env();

// `length` characters drawn uniformly from [0-9A-Za-z] with env's
// randomness (rejection sampling, no modulo bias): 5.95 bits each.
std::string random_alphanumeric(Env& env, std::size_t length);

}  // namespace apiota::env
