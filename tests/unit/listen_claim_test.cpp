// The claim that keeps a second apiota out of a port the first one shares
// between its I/O threads (SO_REUSEPORT).

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "http/listen_claim.h"

namespace apiota::http {
namespace {

std::string unique_address() {
  return "127.0.0.1:" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

TEST(ListenClaim, ASecondClaimOfTheSameAddressFailsUntilTheFirstIsGone) {
  const std::string address = unique_address();
  std::optional<ListenClaim> first(std::in_place, address);
  try {
    ListenClaim second(address);
    FAIL() << "a second claim of " << address << " succeeded";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), EADDRINUSE);
    EXPECT_NE(std::string(e.what()).find(address), std::string::npos) << e.what();
  }
  ListenClaim other(address + "-other");
  first.reset();
  EXPECT_NO_THROW(ListenClaim again(address));
}

TEST(ListenClaim, OfManySimultaneousClaimsExactlyOneWins) {
  const std::string address = unique_address();
  std::atomic<int> winners{0};
  std::atomic<bool> go{false};
  std::vector<std::optional<ListenClaim>> claims(8);
  std::vector<std::thread> threads;
  for (auto& claim : claims) {
    threads.emplace_back([&] {
      while (!go) std::this_thread::yield();
      try {
        claim.emplace(address);
        ++winners;
      } catch (const std::system_error&) {
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(winners, 1);
}

TEST(ListenClaim, MovingKeepsTheClaim) {
  const std::string address = unique_address();
  ListenClaim moved;
  {
    ListenClaim original(address);
    moved = std::move(original);
  }
  EXPECT_THROW(ListenClaim{address}, std::system_error);
}

}  // namespace
}  // namespace apiota::http
