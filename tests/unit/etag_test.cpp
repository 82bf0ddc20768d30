#include "api/etag.h"

#include <gtest/gtest.h>

namespace apiota::api {
namespace {

TEST(IfNoneMatch, MatchesExactListedAndWeakTags) {
  EXPECT_TRUE(if_none_match_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("*", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches(" * ", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"x\",W/\"abc\" ,\"y\"", "\"abc\""));
}

TEST(IfNoneMatch, RejectsOthers) {
  EXPECT_FALSE(if_none_match_matches("", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"abd\"", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("abc", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"abc", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches(",,", "\"abc\""));
}

}  // namespace
}  // namespace apiota::api
