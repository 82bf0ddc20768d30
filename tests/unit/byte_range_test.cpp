#include "http/byte_range.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace apiota::http;

namespace {

struct RangeCase {
  std::optional<std::string> header;
  std::uint64_t file_size;
  RangeOutcome outcome;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

void expect_decision(const RangeCase& c) {
  SCOPED_TRACE(::testing::Message() << "header='" << c.header.value_or("<none>") << "' size=" << c.file_size);
  const std::optional<std::string_view> header =
      c.header ? std::optional<std::string_view>(*c.header) : std::nullopt;
  const RangeDecision d = decide_range(header, c.file_size);
  EXPECT_EQ(d.outcome, c.outcome);
  EXPECT_EQ(d.range.first, c.first);
  EXPECT_EQ(d.range.last, c.last);
}

TEST(DecideRange, ServesSatisfiableSingleRanges) {
  const std::vector<RangeCase> cases = {
      {"bytes=0-0", 1000, RangeOutcome::Partial, 0, 0},
      {"bytes=0-99", 1000, RangeOutcome::Partial, 0, 99},
      {"bytes=500-999", 1000, RangeOutcome::Partial, 500, 999},
      {"bytes=999-999", 1000, RangeOutcome::Partial, 999, 999},
      {"bytes=0-", 1000, RangeOutcome::Partial, 0, 999},
      {"bytes=400-", 1000, RangeOutcome::Partial, 400, 999},
      {"bytes=999-", 1000, RangeOutcome::Partial, 999, 999},
      {"bytes=-1", 1000, RangeOutcome::Partial, 999, 999},
      {"bytes=-100", 1000, RangeOutcome::Partial, 900, 999},
      {"bytes=-1000", 1000, RangeOutcome::Partial, 0, 999},
      {"bytes=0-0", 1, RangeOutcome::Partial, 0, 0},
      {"bytes=007-010", 1000, RangeOutcome::Partial, 7, 10},
      {"Bytes=1-2", 1000, RangeOutcome::Partial, 1, 2},
      {"BYTES=1-2", 1000, RangeOutcome::Partial, 1, 2},
      {"  bytes=1-2 \t", 1000, RangeOutcome::Partial, 1, 2},
  };
  for (const RangeCase& c : cases) expect_decision(c);
}

TEST(DecideRange, ClampsLastPositionPastTheEnd) {
  const std::vector<RangeCase> cases = {
      // ESP-IDF asks for the file size itself as the last position.
      {"bytes=0-1000", 1000, RangeOutcome::Partial, 0, 999},
      {"bytes=200-1000", 1000, RangeOutcome::Partial, 200, 999},
      {"bytes=0-5000", 1000, RangeOutcome::Partial, 0, 999},
      {"bytes=0-18446744073709551615", 1000, RangeOutcome::Partial, 0, 999},
      {"bytes=-5000", 1000, RangeOutcome::Partial, 0, 999},
      {"bytes=-18446744073709551615", 1000, RangeOutcome::Partial, 0, 999},
  };
  for (const RangeCase& c : cases) expect_decision(c);
}

TEST(DecideRange, RefusesRangesStartingAtOrPastTheEnd) {
  const std::vector<RangeCase> cases = {
      {"bytes=1000-", 1000, RangeOutcome::Unsatisfiable},
      {"bytes=1000-1000", 1000, RangeOutcome::Unsatisfiable},
      {"bytes=1000-2000", 1000, RangeOutcome::Unsatisfiable},
      {"bytes=5000-", 1000, RangeOutcome::Unsatisfiable},
      {"bytes=18446744073709551615-", 1000, RangeOutcome::Unsatisfiable},
      {"bytes=-0", 1000, RangeOutcome::Unsatisfiable},
      {"bytes=0-0", 0, RangeOutcome::Unsatisfiable},
      {"bytes=0-", 0, RangeOutcome::Unsatisfiable},
      {"bytes=-1", 0, RangeOutcome::Unsatisfiable},
      {"bytes=-0", 0, RangeOutcome::Unsatisfiable},
  };
  for (const RangeCase& c : cases) expect_decision(c);
}

TEST(DecideRange, IgnoresAbsentInvalidAndMultipleRanges) {
  const std::vector<RangeCase> cases = {
      {std::nullopt, 1000, RangeOutcome::Full},
      {std::nullopt, 0, RangeOutcome::Full},
      {"", 1000, RangeOutcome::Full},
      {"bytes=", 1000, RangeOutcome::Full},
      {"bytes=-", 1000, RangeOutcome::Full},
      {"bytes=5", 1000, RangeOutcome::Full},
      {"bytes=a-5", 1000, RangeOutcome::Full},
      {"bytes=0-b", 1000, RangeOutcome::Full},
      {"bytes=0x10-20", 1000, RangeOutcome::Full},
      {"bytes=+1-2", 1000, RangeOutcome::Full},
      {"bytes=1-+2", 1000, RangeOutcome::Full},
      {"bytes=--5", 1000, RangeOutcome::Full},
      {"bytes=1-2-3", 1000, RangeOutcome::Full},
      {"bytes0-5", 1000, RangeOutcome::Full},
      {"0-5", 1000, RangeOutcome::Full},
      {"items=0-5", 1000, RangeOutcome::Full},
      {"bytes =0-5", 1000, RangeOutcome::Full},
      {"bytes= 0-5", 1000, RangeOutcome::Full},
      {"bytes=0 -5", 1000, RangeOutcome::Full},
      {"bytes=0- 5", 1000, RangeOutcome::Full},
      {"bytes=0-5;", 1000, RangeOutcome::Full},
      // A last position before the first makes the range invalid, not
      // unsatisfiable, even when the first position is past the end.
      {"bytes=5-4", 1000, RangeOutcome::Full},
      {"bytes=5000-4000", 1000, RangeOutcome::Full},
      {"bytes=5-4", 0, RangeOutcome::Full},
      // Positions that do not fit in 64 bits.
      {"bytes=18446744073709551616-", 1000, RangeOutcome::Full},
      {"bytes=0-18446744073709551616", 1000, RangeOutcome::Full},
      {"bytes=-18446744073709551616", 1000, RangeOutcome::Full},
      {"bytes=99999999999999999999999999-", 0, RangeOutcome::Full},
      // multipart/byteranges is not produced, so any list is served whole.
      {"bytes=0-1,5-6", 1000, RangeOutcome::Full},
      {"bytes=0-1, 5-6", 1000, RangeOutcome::Full},
      {"bytes=2000-3000,0-1", 1000, RangeOutcome::Full},
      {"bytes=0-1,", 1000, RangeOutcome::Full},
  };
  for (const RangeCase& c : cases) expect_decision(c);
}

TEST(ContentRange, FormatsSatisfiedAndUnsatisfiedValues) {
  EXPECT_EQ(content_range_value(ByteRange{0, 99}, 1000), "bytes 0-99/1000");
  EXPECT_EQ(content_range_value(ByteRange{999, 999}, 1000), "bytes 999-999/1000");
  EXPECT_EQ(content_range_value(ByteRange{0, 18446744073709551614ULL}, 18446744073709551615ULL),
            "bytes 0-18446744073709551614/18446744073709551615");
  EXPECT_EQ(unsatisfied_content_range_value(1000), "bytes */1000");
  EXPECT_EQ(unsatisfied_content_range_value(0), "bytes */0");
}

}  // namespace
