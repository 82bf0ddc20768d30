#include <gtest/gtest.h>

#include "domain/pin_scope.h"

namespace apiota::domain {
namespace {

TEST(PinScope, NamesRoundTripAndNothingElseParses) {
  for (PinScope scope : {PinScope::Device, PinScope::Tag}) EXPECT_EQ(parse_pin_scope(to_string(scope)), scope);
  EXPECT_EQ(to_string(PinScope::Device), "device");
  EXPECT_EQ(to_string(PinScope::Tag), "tag");
  for (const char* text : {"", "Device", "TAG", "device_id", "tags", "tag "}) {
    EXPECT_FALSE(parse_pin_scope(text)) << text;
  }
}

}  // namespace
}  // namespace apiota::domain
