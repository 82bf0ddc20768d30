#include <gtest/gtest.h>

#include "domain/release_state.h"

namespace apiota::domain {
namespace {

TEST(ReleaseState, NamesRoundTripAndNothingElseParses) {
  for (ReleaseState state : {ReleaseState::Active, ReleaseState::Paused, ReleaseState::Revoked}) {
    EXPECT_EQ(parse_release_state(to_string(state)), state);
  }
  EXPECT_EQ(to_string(ReleaseState::Active), "active");
  EXPECT_EQ(to_string(ReleaseState::Paused), "paused");
  EXPECT_EQ(to_string(ReleaseState::Revoked), "revoked");
  for (const char* text : {"", "Active", "ACTIVE", "revoke", "paused ", "deleted"}) {
    EXPECT_FALSE(parse_release_state(text)) << text;
  }
}

}  // namespace
}  // namespace apiota::domain
