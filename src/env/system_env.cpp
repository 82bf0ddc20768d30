#include <chrono>

#include "crypto/random.h"
#include "env/env.h"

namespace apiota::env {
namespace {

class SystemEnv final : public Env {
 public:
  std::int64_t now_ms() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  std::chrono::steady_clock::time_point steady_now() override { return std::chrono::steady_clock::now(); }
  void random_bytes(std::span<std::uint8_t> out) override { crypto::fill_random(out); }
};

}  // namespace

Env& system_env() {
  static SystemEnv env;
  return env;
}

}  // namespace apiota::env
