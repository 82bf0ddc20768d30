#include "domain/update_attempt.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using namespace apiota::domain;
using namespace std::chrono_literals;

namespace {

SemVer v(std::string_view text) {
  const std::optional<SemVer> parsed = parse_semver(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(SemVer{});
}

const auto kT0 = std::chrono::system_clock::time_point{} + 1000h;

OpenAttempt open_attempt(std::int64_t release, std::string_view target, OtaStatus status,
                         std::optional<std::string_view> from = "1.0.0") {
  return OpenAttempt{AttemptRelease{release, v(target)}, from ? std::optional<SemVer>(v(*from)) : std::nullopt, status,
                     kT0};
}

struct ReportCase {
  const char* description;
  std::optional<OpenAttempt> open;
  OtaStatus status;
  std::optional<AttemptRelease> release;
  std::optional<AttemptEnd> end_open;
  bool touch_open;
  std::optional<std::int64_t> start_release;
  std::optional<AttemptEnd> start_ended;
};

TEST(StepForReport, Table) {
  const AttemptRelease r7{7, v("1.1.0")};
  const AttemptRelease r8{8, v("1.2.0")};
  const auto open7 = open_attempt(7, "1.1.0", OtaStatus::Downloading);
  const std::vector<ReportCase> cases = {
      {"pending does nothing", open7, OtaStatus::Pending, r7, std::nullopt, false, std::nullopt, std::nullopt},
      {"checking does nothing", std::nullopt, OtaStatus::Checking, r7, std::nullopt, false, std::nullopt,
       std::nullopt},
      {"first progress report opens", std::nullopt, OtaStatus::Downloading, r7, std::nullopt, false, 7, std::nullopt},
      {"progress without a release and nothing open", std::nullopt, OtaStatus::Flashing, std::nullopt, std::nullopt,
       false, std::nullopt, std::nullopt},
      {"progress on the same release touches", open7, OtaStatus::Flashing, r7, std::nullopt, true, std::nullopt,
       std::nullopt},
      {"progress without a release touches the open one", open7, OtaStatus::Rebooting, std::nullopt, std::nullopt,
       true, std::nullopt, std::nullopt},
      {"progress on another release supersedes", open7, OtaStatus::Downloading, r8, AttemptEnd::Superseded, false, 8,
       std::nullopt},
      {"done ends the open attempt", open7, OtaStatus::Done, r7, AttemptEnd::Succeeded, false, std::nullopt,
       std::nullopt},
      {"failed ends the open attempt", open7, OtaStatus::Failed, std::nullopt, AttemptEnd::Failed, false,
       std::nullopt, std::nullopt},
      {"done without anything open is recorded ended", std::nullopt, OtaStatus::Done, r7, std::nullopt, false, 7,
       AttemptEnd::Succeeded},
      {"failed without anything open is recorded ended", std::nullopt, OtaStatus::Failed, r8, std::nullopt, false, 8,
       AttemptEnd::Failed},
      {"done for another release supersedes the open one", open7, OtaStatus::Done, r8, AttemptEnd::Superseded, false,
       8, AttemptEnd::Succeeded},
      {"outcome without release or open attempt is ignored", std::nullopt, OtaStatus::Failed, std::nullopt,
       std::nullopt, false, std::nullopt, std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.description);
    const AttemptStep step = step_for_report(c.open, c.status, c.release);
    EXPECT_EQ(step.end_open, c.end_open);
    EXPECT_EQ(step.touch_open, c.touch_open);
    ASSERT_EQ(step.start.has_value(), c.start_release.has_value());
    if (step.start) {
      EXPECT_EQ(step.start->release.id, *c.start_release);
      EXPECT_EQ(step.start->ended, c.start_ended);
    }
  }
}

struct PollCase {
  const char* description;
  std::optional<OpenAttempt> open;
  const char* reported;
  std::chrono::seconds elapsed;
  std::optional<AttemptEnd> end;
};

TEST(EndForPoll, Table) {
  const std::vector<PollCase> cases = {
      {"nothing open", std::nullopt, "1.0.0", 0s, std::nullopt},
      {"running the target succeeds", open_attempt(7, "1.1.0", OtaStatus::Rebooting), "1.1.0", 0s,
       AttemptEnd::Succeeded},
      {"running the target succeeds even from downloading", open_attempt(7, "1.1.0", OtaStatus::Downloading),
       "1.1.0+build.2", 0s, AttemptEnd::Succeeded},
      {"back on the old version after rebooting: bootloader rollback", open_attempt(7, "1.1.0", OtaStatus::Rebooting),
       "1.0.0", 0s, AttemptEnd::RolledBack},
      {"lower version after rebooting, origin unknown: rollback",
       open_attempt(7, "1.1.0", OtaStatus::Rebooting, std::nullopt), "0.9.0", 0s, AttemptEnd::RolledBack},
      {"old version while still downloading is in progress", open_attempt(7, "1.1.0", OtaStatus::Downloading), "1.0.0",
       10s, std::nullopt},
      {"higher unrelated version after rebooting is not a rollback", open_attempt(7, "1.1.0", OtaStatus::Rebooting),
       "2.0.0", 10s, std::nullopt},
      {"silent past the timeout: stuck", open_attempt(7, "1.1.0", OtaStatus::Flashing), "1.0.0", 3601s,
       AttemptEnd::Stuck},
      {"exactly at the timeout: not yet stuck", open_attempt(7, "1.1.0", OtaStatus::Flashing), "1.0.0", 3600s,
       std::nullopt},
      {"rollback wins over stuck", open_attempt(7, "1.1.0", OtaStatus::Rebooting), "1.0.0", 7200s,
       AttemptEnd::RolledBack},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.description);
    EXPECT_EQ(end_for_poll(c.open, v(c.reported), kT0 + c.elapsed, 1h), c.end);
  }
}

TEST(AttemptEnd, OutcomesAndNames) {
  EXPECT_EQ(outcome_of(AttemptEnd::Succeeded), AttemptOutcome::Success);
  EXPECT_EQ(outcome_of(AttemptEnd::Failed), AttemptOutcome::Failure);
  EXPECT_EQ(outcome_of(AttemptEnd::Stuck), AttemptOutcome::Failure);
  EXPECT_EQ(outcome_of(AttemptEnd::RolledBack), AttemptOutcome::Failure);
  EXPECT_EQ(outcome_of(AttemptEnd::Superseded), std::nullopt);
  EXPECT_EQ(outcome_of(AttemptEnd::Revoked), std::nullopt) << "a revocation is not the device's failure";
  for (AttemptEnd end : {AttemptEnd::Succeeded, AttemptEnd::Failed, AttemptEnd::Stuck, AttemptEnd::RolledBack,
                         AttemptEnd::Superseded, AttemptEnd::Revoked}) {
    EXPECT_EQ(parse_attempt_end(to_string(end)), end);
  }
  EXPECT_EQ(to_string(AttemptEnd::RolledBack), "rolled_back");
  EXPECT_EQ(to_string(AttemptEnd::Revoked), "revoked");
  EXPECT_EQ(parse_attempt_end("Succeeded"), std::nullopt);
  EXPECT_EQ(parse_attempt_end("open"), std::nullopt);
}

}  // namespace
