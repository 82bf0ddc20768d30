#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "env/env.h"
#include "support/fake_env.h"

namespace apiota {
namespace {

TEST(Env, RandomAlphanumericHasTheLengthAndAlphabetAsked) {
  for (std::size_t length : {0u, 1u, 16u, 100u}) {
    std::string text = env::random_alphanumeric(env::system_env(), length);
    EXPECT_EQ(text.size(), length);
    EXPECT_TRUE(std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }));
  }
  EXPECT_NE(env::random_alphanumeric(env::system_env(), 32), env::random_alphanumeric(env::system_env(), 32));
}

TEST(Env, RandomAlphanumericUsesEveryCharacterOfTheAlphabet) {
  testing::FakeEnv fake;
  std::string text = env::random_alphanumeric(fake, 5000);
  EXPECT_EQ(std::set<char>(text.begin(), text.end()).size(), 62u);
}

TEST(Env, FakeClocksMoveOnlyWhenAdvanced) {
  testing::FakeEnv fake(1000);
  const auto steady = fake.steady_now();
  EXPECT_EQ(fake.now_ms(), 1000);
  fake.advance(std::chrono::milliseconds(250));
  EXPECT_EQ(fake.now_ms(), 1250);
  EXPECT_EQ(fake.steady_now() - steady, std::chrono::milliseconds(250));
}

TEST(Env, SystemClockIsNearTheSystemTime) {
  using namespace std::chrono;
  const auto expected = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(env::system_env().now_ms()), static_cast<double>(expected), 5000.0);
}

}  // namespace
}  // namespace apiota
