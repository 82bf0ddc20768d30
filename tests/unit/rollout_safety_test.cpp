#include "domain/rollout_safety.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

using namespace apiota::domain;
using namespace std::chrono_literals;

namespace {

// "SSF.." -> outcomes, oldest first.
std::vector<AttemptOutcome> outcomes(std::string_view pattern) {
  std::vector<AttemptOutcome> out;
  for (char c : pattern) out.push_back(c == 'F' ? AttemptOutcome::Failure : AttemptOutcome::Success);
  return out;
}

SemVer v(std::string_view text) {
  const std::optional<SemVer> parsed = parse_semver(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(SemVer{});
}

struct SafetyCase {
  const char* description;
  const char* pattern;
  SafetyPolicy policy;
  bool pause;
  std::size_t attempts;
  double failure_rate;
  const char* reason;
};

TEST(EvaluateSafety, Table) {
  const SafetyPolicy standard{};
  const SafetyPolicy window10{10, 0.2, 5, 1h};
  const std::vector<SafetyCase> cases = {
      {"no attempts", "", standard, false, 0, 0.0, "0 attempts, fewer than the 5 needed to judge"},
      {"too few attempts, all failed", "FFFF", standard, false, 4, 1.0, "4 attempts, fewer than the 5 needed to judge"},
      {"one attempt", "F", standard, false, 1, 1.0, "1 attempt, fewer than the 5 needed to judge"},
      {"enough attempts, all failed", "FFFFF", standard, true, 5, 1.0, "5 of the last 5 attempts failed (100% > 20%)"},
      {"rate equal to the maximum does not pause", "SSSSSSSSFF", window10, false, 10, 0.2,
       "2 of the last 10 attempts failed (20% <= 20%)"},
      {"rate above the maximum pauses", "SSSSSSFFFF", window10, true, 10, 0.4,
       "4 of the last 10 attempts failed (40% > 20%)"},
      {"only the window counts: old failures age out", "FFFFFFFFFFSSSSSSSSSS", window10, false, 10, 0.0,
       "0 of the last 10 attempts failed (0% <= 20%)"},
      {"only the window counts: new failures count", "SSSSSSSSSSSSSSSSSFFF", window10, true, 10, 0.3,
       "3 of the last 10 attempts failed (30% > 20%)"},
      {"fractional rates get one decimal", "SSSSSSSSSSSSSSFFFFFF", SafetyPolicy{30, 0.25, 5, 1h}, true, 20, 0.3,
       "6 of the last 20 attempts failed (30% > 25%)"},
      {"thirds", "SSFSSFSSF", SafetyPolicy{9, 0.125, 3, 1h}, true, 9, 1.0 / 3,
       "3 of the last 9 attempts failed (33.3% > 12.5%)"},
      {"window of zero never pauses", "FFFFFFFF", SafetyPolicy{0, 0.2, 0, 1h}, false, 0, 0.0,
       "0 attempts, fewer than the 1 needed to judge"},
      {"single-attempt policy", "SF", SafetyPolicy{1, 0.5, 1, 1h}, true, 1, 1.0,
       "1 of the last 1 attempt failed (100% > 50%)"},
  };
  for (const SafetyCase& c : cases) {
    SCOPED_TRACE(c.description);
    const std::vector<AttemptOutcome> history = outcomes(c.pattern);
    const SafetyVerdict verdict = evaluate_safety(history, c.policy);
    EXPECT_EQ(verdict.pause, c.pause);
    EXPECT_EQ(verdict.attempts, c.attempts);
    EXPECT_DOUBLE_EQ(verdict.failure_rate, c.failure_rate);
    EXPECT_EQ(verdict.reason, c.reason);
  }
}

struct StuckCase {
  OtaStatus status;
  std::chrono::seconds age;
  bool expected;
};

TEST(IsStuck, OnlyInProgressStatesOlderThanTheLimit) {
  const SafetyPolicy policy{20, 0.2, 5, 1h};
  const auto now = std::chrono::system_clock::time_point{} + 1000h;
  const std::vector<StuckCase> cases = {
      {OtaStatus::Downloading, 2h, true}, {OtaStatus::Verifying, 61min, true}, {OtaStatus::Flashing, 1h + 1s, true},
      {OtaStatus::Rebooting, 5h, true},   {OtaStatus::Rebooting, 1h, false},   {OtaStatus::Downloading, 59min, false},
      {OtaStatus::Flashing, -2h, false},  {OtaStatus::Pending, 10h, false},    {OtaStatus::Checking, 10h, false},
      {OtaStatus::Done, 10h, false},      {OtaStatus::Failed, 10h, false},
  };
  for (const StuckCase& c : cases) {
    SCOPED_TRACE(std::string(to_string(c.status)) + " for " + std::to_string(c.age.count()) + "s");
    EXPECT_EQ(is_stuck(c.status, now - c.age, now, policy), c.expected);
  }
}

struct RollbackCase {
  const char* description;
  const char* target;
  const char* previous;  // nullptr: unknown
  const char* reported;
  bool expected;
};

TEST(IsBootloaderRollback, Table) {
  const std::vector<RollbackCase> cases = {
      {"booted the target", "1.2.0", "1.1.0", "1.2.0", false},
      {"booted the target, other build metadata", "1.2.0+b7", "1.1.0", "1.2.0+local", false},
      {"back on the previous version", "1.2.0", "1.1.0", "1.1.0", true},
      {"back on the previous version, other build metadata", "1.2.0", "1.1.0+a", "1.1.0+b", true},
      {"previous unknown, reports lower", "1.2.0", nullptr, "1.1.0", true},
      {"reports a version lower than both", "1.2.0", "1.1.0", "1.0.0", true},
      {"reports the pre-release of the target", "1.2.0", nullptr, "1.2.0-rc.1", true},
      {"reports something newer: updated by other means", "1.2.0", "1.1.0", "1.3.0", false},
      {"downgrade target, back on the newer previous", "1.0.0", "1.1.0", "1.1.0", true},
      {"downgrade target, reports an unrelated newer version", "1.0.0", "1.1.0", "2.0.0", false},
      {"downgrade target reached", "1.0.0", "1.1.0", "1.0.0", false},
  };
  for (const RollbackCase& c : cases) {
    SCOPED_TRACE(c.description);
    const std::optional<SemVer> previous = c.previous == nullptr ? std::nullopt : std::optional<SemVer>(v(c.previous));
    EXPECT_EQ(is_bootloader_rollback(v(c.target), previous, v(c.reported)), c.expected);
  }
}

}  // namespace
