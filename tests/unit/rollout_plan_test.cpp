#include "domain/rollout_plan.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "domain/cohort.h"

using namespace apiota::domain;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kRelease = "17";

// The first "dev-N" whose bucket for kRelease satisfies `wanted`.
template <typename Predicate>
std::string device_where(Predicate wanted) {
  for (int i = 0;; ++i) {
    std::string id = "dev-" + std::to_string(i);
    if (wanted(cohort_bucket(id, kRelease))) return id;
  }
}

struct TargetingCase {
  const char* description;
  RolloutTargeting targeting;
  std::string device_id;
  std::vector<std::string> device_tags;
  bool expected;
};

TEST(IsTargeted, IdsTagsAndPercent) {
  // Inside a 10% cohort, and outside a 90% one.
  const std::string inside = device_where([](std::uint32_t b) { return b < 1000; });
  const std::string outside = device_where([](std::uint32_t b) { return b >= 9000; });
  const std::vector<TargetingCase> cases = {
      {"default targets everybody", {}, outside, {}, true},
      {"inside the percent", {10, {}, {}}, inside, {}, true},
      {"outside the percent", {90, {}, {}}, outside, {}, false},
      {"zero percent targets nobody", {0, {}, {}}, inside, {}, false},
      {"listed id beats the percent", {0, {}, {outside}}, outside, {}, true},
      {"listed id beats missing tags", {0, {"lab"}, {outside}}, outside, {}, true},
      {"other listed ids do not help", {90, {}, {inside}}, outside, {}, false},
      {"tag required and carried", {10, {"lab", "eu"}, {}}, inside, {"us", "eu"}, true},
      {"tag required and missing", {100, {"lab"}, {}}, inside, {"eu"}, false},
      {"tag required, device has none", {100, {"lab"}, {}}, inside, {}, false},
      {"tag carried but outside the percent", {90, {"lab"}, {}}, outside, {"lab"}, false},
      {"tags match case-sensitively", {100, {"Lab"}, {}}, inside, {"lab"}, false},
      {"device tags without targeting tags", {10, {}, {}}, inside, {"lab"}, true},
  };
  for (const TargetingCase& c : cases) {
    SCOPED_TRACE(c.description);
    EXPECT_EQ(is_targeted(c.targeting, c.device_id, c.device_tags, kRelease), c.expected);
  }
}

TEST(IsTargeted, PercentUsesTheReleaseKey) {
  // A device's place in the queue differs per release.
  const std::string id = device_where([](std::uint32_t b) { return b < 500; });
  const RolloutTargeting five{5, {}, {}};
  EXPECT_TRUE(is_targeted(five, id, {}, kRelease));
  EXPECT_EQ(is_targeted(five, id, {}, "18"), cohort_bucket(id, "18") < 500);
}

const std::vector<RolloutStage> kSchedule = {
    {1, 1h, 10},
    {10, 24h, 100},
    {100, 0s, 0},
};

struct AdvanceCase {
  const char* description;
  std::size_t stage_index;
  std::chrono::seconds elapsed;
  std::int64_t successes;
  std::optional<std::size_t> expected;
};

TEST(NextStage, NeedsBothDurationAndSuccesses) {
  const auto started = std::chrono::system_clock::time_point{} + 1000h;
  const std::vector<AdvanceCase> cases = {
      {"both met", 0, 1h, 10, 1},
      {"both exceeded", 0, 5h, 50, 1},
      {"too short", 0, 59min, 10, std::nullopt},
      {"too few successes", 0, 2h, 9, std::nullopt},
      {"neither", 0, 0s, 0, std::nullopt},
      {"second stage met", 1, 24h, 100, 2},
      {"second stage too short", 1, 23h, 1000, std::nullopt},
      {"last stage never advances", 2, 1000h, 1000, std::nullopt},
      {"index past the end", 3, 1000h, 1000, std::nullopt},
      {"clock skew counts as no time", 0, -1h, 10, std::nullopt},
  };
  for (const AdvanceCase& c : cases) {
    SCOPED_TRACE(c.description);
    const StageProgress progress{c.stage_index, started, c.successes};
    EXPECT_EQ(next_stage(kSchedule, progress, started + c.elapsed), c.expected);
  }
}

TEST(NextStage, ZeroRequirementsAdvanceAtOnceEvenUnderClockSkew) {
  const std::vector<RolloutStage> stages = {{50, 0s, 0}, {100, 0s, 0}};
  const auto started = std::chrono::system_clock::time_point{} + 1000h;
  EXPECT_EQ(next_stage(stages, {0, started, 0}, started), std::optional<std::size_t>(1));
  EXPECT_EQ(next_stage(stages, {0, started, 0}, started - 1min), std::optional<std::size_t>(1));
}

TEST(NextStage, EmptyScheduleNeverAdvances) {
  EXPECT_EQ(next_stage({}, {0, {}, 0}, std::chrono::system_clock::time_point{} + 1h), std::nullopt);
}

struct ScheduleCase {
  const char* description;
  std::vector<RolloutStage> stages;
  const char* error_fragment;  // nullptr: valid
};

TEST(ValidateRolloutPercent, HundredthsFromZeroToOneHundred) {
  for (double fine : {0.0, 0.01, 0.29, 0.57, 10.55, 12.5, 99.99, 100.0}) {
    EXPECT_EQ(validate_rollout_percent(fine), "") << fine;
  }
  for (double bad : {-0.01, 100.01, 10.555, 0.001, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    EXPECT_NE(validate_rollout_percent(bad), "") << bad;
  }
  EXPECT_NE(validate_rollout_percent(10.555).find("at most two decimals"), std::string::npos);
  EXPECT_NE(validate_rollout_percent(101).find("between 0 and 100"), std::string::npos);
}

TEST(ValidateStages, Table) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<ScheduleCase> cases = {
      {"typical", {{1}, {10}, {50}, {100}}, nullptr},
      {"single full stage", {{100}}, nullptr},
      {"may stop short of 100", {{0.5}, {12.25}}, nullptr},
      {"hundredths are fine", {{0.01}, {99.99}}, nullptr},
      {"decimals that are inexact in binary", {{0.29}, {0.57}}, nullptr},
      {"empty", {}, "at least one stage"},
      {"zero percent", {{0}, {10}}, "stage 1: percent must be greater than 0"},
      {"negative percent", {{-1}}, "stage 1: percent"},
      {"over 100", {{10}, {100.5}}, "stage 2: percent"},
      {"NaN", {{nan}}, "stage 1: percent"},
      {"infinity", {{inf}}, "stage 1: percent"},
      {"three decimals", {{1}, {12.345}}, "stage 2: percent must have at most two decimals"},
      {"equal percents", {{10}, {10}}, "stage 2: percents must be strictly ascending"},
      {"descending", {{50}, {10}}, "stage 2: percents must be strictly ascending"},
      {"negative duration", {{10, -1s}}, "stage 1: min_duration"},
      {"negative successes", {{10}, {20, 0s, -1}}, "stage 2: min_successes"},
  };
  for (const ScheduleCase& c : cases) {
    SCOPED_TRACE(c.description);
    const std::string error = validate_stages(c.stages);
    if (c.error_fragment == nullptr) {
      EXPECT_EQ(error, "");
    } else {
      EXPECT_NE(error.find(c.error_fragment), std::string::npos) << error;
    }
  }
}

}  // namespace
