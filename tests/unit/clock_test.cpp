#include "service/clock.h"

#include <gtest/gtest.h>

#include "env/env.h"

namespace apiota::service {
namespace {

TEST(Clock, Iso8601IsUtcWholeSecondsWithZ) {
  EXPECT_EQ(iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso8601(1779013800000), "2026-05-17T10:30:00Z");
  EXPECT_EQ(iso8601(1779013800999), "2026-05-17T10:30:00Z");
}

TEST(Clock, NowIsAfter2024) { EXPECT_GT(env::system_env().now_ms(), 1704067200000); }

}  // namespace
}  // namespace apiota::service
