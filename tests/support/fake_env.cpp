#include "support/fake_env.h"

namespace apiota::testing {

FakeEnv::FakeEnv(std::int64_t start_ms) : start_ms_(start_ms) {}

std::int64_t FakeEnv::now_ms() { return start_ms_ + elapsed_ms_.load(); }

std::chrono::steady_clock::time_point FakeEnv::steady_now() {
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(elapsed_ms_.load()));
}

void FakeEnv::random_bytes(std::span<std::uint8_t> out) {
  // splitmix64: repeatable, and every byte value occurs.
  for (auto& byte : out) {
    std::uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    byte = static_cast<std::uint8_t>(z ^ (z >> 31));
  }
}

void FakeEnv::advance(std::chrono::milliseconds by) { elapsed_ms_ += by.count(); }

}  // namespace apiota::testing
