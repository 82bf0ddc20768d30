#include "support/polling.h"

#include <thread>

namespace apiota::testing {

bool eventually(const std::function<bool()>& probe, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return probe();
}

void wait_for_next_second() {
  auto start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  while (std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) == start) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace apiota::testing
