#pragma once
// FakeEnv: an env::Env for unit tests. Its clocks stand still until the test
// moves them (advance()), so time-driven behaviour is tested without sleeps;
// its randomness is a fixed, repeatable byte sequence.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>

#include "env/env.h"

namespace apiota::testing {

class FakeEnv : public env::Env {
 public:
  // Starts at `start_ms` (Unix ms) on the wall clock.
  explicit FakeEnv(std::int64_t start_ms = 1'780'000'000'000);

  std::int64_t now_ms() override;
  std::chrono::steady_clock::time_point steady_now() override;
  void random_bytes(std::span<std::uint8_t> out) override;

  // Moves both clocks forward by `by`.
  void advance(std::chrono::milliseconds by);

 private:
  std::atomic<std::int64_t> elapsed_ms_{0};
  const std::int64_t start_ms_;
  std::atomic<std::uint64_t> random_state_{0x9e3779b97f4a7c15ULL};
};

}  // namespace apiota::testing
