#include "domain/release_decision.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/cohort.h"

using namespace apiota::domain;

namespace {

using Kind = Decision::Kind;

SemVer v(std::string_view text) {
  const std::optional<SemVer> parsed = parse_semver(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(SemVer{});
}

std::string kind_name(Kind kind) {
  switch (kind) {
    case Kind::NoUpdate:
      return "NoUpdate";
    case Kind::Update:
      return "Update";
    case Kind::Rollback:
      return "Rollback";
  }
  return "?";
}

// Device ids chosen by their cohort buckets for the two partial rollouts of
// the catalogue: release 4 (10%) and release 9 (50%).
struct Fleet {
  std::string in4;    // inside release 4's 10%, outside release 9's 50%
  std::string out4;   // outside both
  std::string in9;    // inside release 9's 50%, outside release 4's 10%
  std::string named;  // outside both, but listed by id on release 9
};

template <typename Predicate>
std::string first_device(Predicate wanted, const std::vector<std::string>& taken) {
  for (int i = 0;; ++i) {
    std::string id = "dev-" + std::to_string(i);
    if (std::find(taken.begin(), taken.end(), id) != taken.end()) continue;
    if (wanted(cohort_bucket(id, "4"), cohort_bucket(id, "9"))) return id;
  }
}

Fleet make_fleet() {
  Fleet fleet;
  fleet.in4 = first_device([](std::uint32_t b4, std::uint32_t b9) { return b4 < 1000 && b9 >= 5000; }, {});
  fleet.out4 = first_device([](std::uint32_t b4, std::uint32_t b9) { return b4 >= 1000 && b9 >= 5000; }, {});
  fleet.in9 = first_device([](std::uint32_t b4, std::uint32_t b9) { return b4 >= 1000 && b9 < 5000; }, {});
  fleet.named = first_device([](std::uint32_t b4, std::uint32_t b9) { return b4 >= 1000 && b9 >= 5000; }, {fleet.out4});
  return fleet;
}

ReleaseView release(std::int64_t id, std::string_view version, Channel channel, ReleaseState state,
                    std::uint32_t secure_version, RolloutTargeting targeting = {},
                    std::optional<std::int64_t> rollback_target_id = std::nullopt) {
  return ReleaseView{id, v(version), channel, state, secure_version, std::move(targeting), rollback_target_id};
}

std::vector<ReleaseView> catalogue(const Fleet& fleet) {
  using enum ReleaseState;
  return {
      release(1, "1.0.0", Channel::Stable, Active, 1),
      release(2, "1.1.0", Channel::Stable, Active, 1),
      release(3, "1.2.0", Channel::Stable, Revoked, 1, {}, 2),
      release(4, "1.3.0", Channel::Stable, Active, 2, {10, {}, {}}),
      release(5, "1.4.0", Channel::Stable, Paused, 2),
      release(6, "1.5.0-beta.1", Channel::Beta, Active, 2, {100, {"lab"}, {}}),
      release(7, "1.5.0-beta.2", Channel::Beta, Revoked, 2, {}, 6),
      release(8, "1.5.0-beta.3", Channel::Beta, Revoked, 2),
      release(9, "2.0.0-dev.1", Channel::Dev, Active, 3, {50, {}, {fleet.named}}),
      release(10, "1.1.0+rebuild", Channel::Stable, Active, 1),
      release(11, "1.3.0", Channel::Beta, Active, 2),
      release(12, "0.9.0", Channel::Stable, Active, 0),
      release(13, "1.6.0", Channel::Stable, Revoked, 2, {}, 5),
      release(14, "3.0.0", Channel::Stable, Active, 4, {0, {}, {}}),
      release(15, "1.7.0", Channel::Stable, Revoked, 2, {}, 16),
      release(16, "1.7.0+fix", Channel::Stable, Active, 2, {0, {}, {}}),
  };
}

struct Row {
  const char* what;
  Kind kind;
  std::int64_t id;  // 0 for NoUpdate
  std::string device;
  const char* current;
  Channel channel = Channel::Stable;
  std::vector<std::string> tags = {};
  std::optional<std::uint32_t> secure = std::nullopt;
  std::optional<std::int64_t> in_progress = std::nullopt;  // release of the open attempt
  std::vector<std::int64_t> refused = {};
  const char* device_pin = nullptr;
  const char* tag_pin = nullptr;
};

DeviceView device_of(const Row& row) {
  DeviceView device;
  device.device_id = row.device;
  device.current = v(row.current);
  device.channel = row.channel;
  device.tags = row.tags;
  device.current_secure_version = row.secure;
  device.update_in_progress = row.in_progress;
  device.refused_release_ids = row.refused;
  if (row.device_pin != nullptr) device.device_pin = DevicePin{v(row.device_pin)};
  if (row.tag_pin != nullptr) device.tag_pin = DevicePin{v(row.tag_pin)};
  return device;
}

std::vector<Row> rows(const Fleet& f) {
  constexpr Kind None = Kind::NoUpdate;
  constexpr Kind Up = Kind::Update;
  constexpr Kind Back = Kind::Rollback;
  constexpr Channel Beta = Channel::Beta;
  constexpr Channel Dev = Channel::Dev;
  // clang-format off
  return {
      // Channels x rollout percentage.
      {.what = "stable, in the 10% cohort", .kind = Up, .id = 4, .device = f.in4, .current = "1.0.0"},
      {.what = "stable, outside the cohort: equal versions go to the higher id",
       .kind = Up, .id = 10, .device = f.out4, .current = "1.0.0"},
      {.what = "stable, on the newest it may have", .kind = None, .id = 0, .device = f.in4, .current = "1.3.0"},
      {.what = "stable, outside the cohort, on the newest it may have",
       .kind = None, .id = 0, .device = f.out4, .current = "1.1.0"},
      {.what = "beta, in the cohort: stable wins an equal version",
       .kind = Up, .id = 4, .device = f.in4, .current = "1.0.0", .channel = Beta},
      {.what = "beta, outside the cohort", .kind = Up, .id = 11, .device = f.out4, .current = "1.0.0", .channel = Beta},
      {.what = "beta, carrying the tag",
       .kind = Up, .id = 6, .device = f.out4, .current = "1.0.0", .channel = Beta, .tags = {"eu", "lab"}},
      {.what = "beta, carrying other tags",
       .kind = Up, .id = 11, .device = f.out4, .current = "1.0.0", .channel = Beta, .tags = {"eu"}},
      {.what = "dev, in the 50% cohort", .kind = Up, .id = 9, .device = f.in9, .current = "1.0.0", .channel = Dev},
      {.what = "dev, outside the cohort, tagged",
       .kind = Up, .id = 6, .device = f.out4, .current = "1.0.0", .channel = Dev, .tags = {"lab"}},
      {.what = "dev, outside the cohort but listed by id",
       .kind = Up, .id = 9, .device = f.named, .current = "1.0.0", .channel = Dev},
      {.what = "stable device on a beta build sees no older stable",
       .kind = None, .id = 0, .device = f.in4, .current = "1.5.0-beta.1"},

      // Update in progress: that release again, and nothing else.
      {.what = "in progress on an older release than the newest: offered again, nothing newer",
       .kind = Up, .id = 2, .device = f.in4, .current = "1.0.0", .in_progress = 2},
      {.what = "in progress on the release it would get: offered again",
       .kind = Up, .id = 4, .device = f.in4, .current = "1.0.0", .in_progress = 4},
      {.what = "in progress beats a pin",
       .kind = Up, .id = 4, .device = f.in4, .current = "1.0.0", .in_progress = 4, .device_pin = "1.1.0"},
      {.what = "in progress on the pinned release: offered again",
       .kind = Up, .id = 10, .device = f.in4, .current = "1.0.0", .in_progress = 10, .device_pin = "1.1.0"},
      {.what = "in progress beats a revocation, even outside the release's cohort",
       .kind = Up, .id = 4, .device = f.out4, .current = "1.2.0", .in_progress = 4},
      {.what = "in progress on the rollback target: offered again",
       .kind = Back, .id = 2, .device = f.out4, .current = "1.2.0", .in_progress = 2},
      {.what = "in progress on a paused release: held",
       .kind = None, .id = 0, .device = f.out4, .current = "1.1.0", .in_progress = 5},
      {.what = "in progress on an older release than current, never offered: held",
       .kind = None, .id = 0, .device = f.out4, .current = "1.3.0", .in_progress = 2},
      {.what = "in progress on a release the bootloader refused: held",
       .kind = None, .id = 0, .device = f.out4, .current = "1.0.0", .in_progress = 2, .refused = {2}},
      {.what = "in progress below the device's secure_version: held",
       .kind = None, .id = 0, .device = f.in4, .current = "1.0.0", .secure = 2, .in_progress = 2},
      {.what = "in progress on a revoked release holds nothing: the cohort update",
       .kind = Up, .id = 4, .device = f.in4, .current = "1.0.0", .in_progress = 3},
      {.what = "in progress on a revoked release holds nothing: its rollback target",
       .kind = Back, .id = 2, .device = f.out4, .current = "1.2.0", .in_progress = 3},
      {.what = "in progress on a release that no longer exists holds nothing",
       .kind = Up, .id = 10, .device = f.out4, .current = "1.0.0", .in_progress = 99},

      // Revocation.
      {.what = "on a revoked release", .kind = Back, .id = 2, .device = f.out4, .current = "1.2.0"},
      {.what = "revocation beats a newer release in the cohort",
       .kind = Back, .id = 2, .device = f.in4, .current = "1.2.0"},
      {.what = "revoked release, other build metadata",
       .kind = Back, .id = 2, .device = f.out4, .current = "1.2.0+local"},
      {.what = "dev device follows stable revocations",
       .kind = Back, .id = 2, .device = f.out4, .current = "1.2.0", .channel = Dev},
      {.what = "rollback target refused: falls through to the cohort update",
       .kind = Up, .id = 4, .device = f.in4, .current = "1.2.0", .refused = {2}},
      {.what = "rollback target refused, nothing newer",
       .kind = None, .id = 0, .device = f.out4, .current = "1.2.0", .refused = {2}},
      {.what = "rollback target below the device's secure_version",
       .kind = Up, .id = 4, .device = f.in4, .current = "1.2.0", .secure = 2},
      {.what = "beta revocation rolls back regardless of the target's tags",
       .kind = Back, .id = 6, .device = f.out4, .current = "1.5.0-beta.2", .channel = Beta},
      {.what = "revoked without a rollback target",
       .kind = None, .id = 0, .device = f.out4, .current = "1.5.0-beta.3", .channel = Beta},
      {.what = "stable device ignores a beta revocation",
       .kind = None, .id = 0, .device = f.out4, .current = "1.5.0-beta.2"},
      {.what = "rollback target paused", .kind = None, .id = 0, .device = f.in4, .current = "1.6.0"},
      {.what = "rollback target of the same version would loop",
       .kind = None, .id = 0, .device = f.in4, .current = "1.7.0"},

      // Pins.
      {.what = "device pin below current",
       .kind = Back, .id = 10, .device = f.in4, .current = "1.3.0", .device_pin = "1.1.0"},
      {.what = "device pin to a paused release",
       .kind = Up, .id = 5, .device = f.out4, .current = "1.0.0", .device_pin = "1.4.0"},
      {.what = "pin ignores a 0% rollout",
       .kind = Up, .id = 14, .device = f.out4, .current = "1.0.0", .device_pin = "3.0.0"},
      {.what = "pin ignores channel and tags",
       .kind = Up, .id = 6, .device = f.out4, .current = "1.0.0", .device_pin = "1.5.0-beta.1"},
      {.what = "held at the pinned version",
       .kind = None, .id = 0, .device = f.in4, .current = "1.0.0", .device_pin = "1.0.0"},
      {.what = "held at the pinned version, build metadata aside",
       .kind = None, .id = 0, .device = f.in4, .current = "1.1.0+local", .device_pin = "1.1.0"},
      {.what = "pin to a revoked version",
       .kind = None, .id = 0, .device = f.out4, .current = "1.0.0", .device_pin = "1.2.0"},
      {.what = "pin holds a device on a revoked release",
       .kind = None, .id = 0, .device = f.out4, .current = "1.2.0", .device_pin = "1.2.0"},
      {.what = "pin to a version without a release",
       .kind = None, .id = 0, .device = f.out4, .current = "1.0.0", .device_pin = "9.9.9"},
      {.what = "device pin beats tag pin",
       .kind = Up, .id = 10, .device = f.out4, .current = "1.0.0", .device_pin = "1.1.0", .tag_pin = "1.3.0"},
      {.what = "tag pin alone", .kind = Back, .id = 10, .device = f.in4, .current = "1.3.0", .tag_pin = "1.1.0"},
      {.what = "tag pin to a stable release the beta cohort would not get",
       .kind = Up, .id = 4, .device = f.out4, .current = "1.0.0", .channel = Beta, .tag_pin = "1.3.0"},
      {.what = "pin below the device's secure_version",
       .kind = None, .id = 0, .device = f.out4, .current = "1.0.0", .secure = 1, .device_pin = "0.9.0"},
      {.what = "pin with secure_version unknown",
       .kind = Back, .id = 12, .device = f.out4, .current = "1.0.0", .device_pin = "0.9.0"},
      {.what = "pin to a refused release",
       .kind = None, .id = 0, .device = f.out4, .current = "1.0.0", .refused = {5}, .device_pin = "1.4.0"},
      {.what = "pin skips a refused build of the version",
       .kind = Back, .id = 2, .device = f.in4, .current = "1.3.0", .refused = {10}, .device_pin = "1.1.0"},

      // secure_version in the normal path.
      {.what = "cohort release below the device's secure_version",
       .kind = None, .id = 0, .device = f.in4, .current = "1.0.0", .secure = 3},
      {.what = "secure_version equal is fine",
       .kind = Up, .id = 9, .device = f.in9, .current = "1.0.0", .channel = Dev, .secure = 3},
      {.what = "everything below the device's secure_version",
       .kind = None, .id = 0, .device = f.in9, .current = "1.0.0", .channel = Dev, .secure = 4},
      {.what = "secure_version filters before choosing",
       .kind = Up, .id = 4, .device = f.in4, .current = "1.0.0", .secure = 2},

      // Refused releases.
      {.what = "refused cohort release", .kind = Up, .id = 10, .device = f.in4, .current = "1.0.0", .refused = {4}},
      {.what = "refused build of an equal version",
       .kind = Up, .id = 2, .device = f.out4, .current = "1.0.0", .refused = {10}},
      {.what = "refused beta",
       .kind = Up, .id = 11, .device = f.out4, .current = "1.0.0", .channel = Beta, .tags = {"lab"}, .refused = {6}},
      {.what = "refused everything newer",
       .kind = None, .id = 0, .device = f.out4, .current = "1.0.0", .refused = {2, 10}},
  };
  // clang-format on
}

void expect_rows(const std::vector<Row>& table, std::span<const ReleaseView> releases) {
  for (const Row& row : table) {
    SCOPED_TRACE(row.what);
    const Decision decision = decide_release(device_of(row), releases);
    EXPECT_EQ(kind_name(decision.kind), kind_name(row.kind)) << decision.reason;
    EXPECT_EQ(decision.release_id, row.id) << decision.reason;
    EXPECT_FALSE(decision.reason.empty());
  }
}

TEST(DecideRelease, Table) {
  const Fleet fleet = make_fleet();
  expect_rows(rows(fleet), catalogue(fleet));
}

TEST(DecideRelease, DoesNotDependOnReleaseOrder) {
  const Fleet fleet = make_fleet();
  std::vector<ReleaseView> releases = catalogue(fleet);
  std::reverse(releases.begin(), releases.end());
  expect_rows(rows(fleet), releases);
  std::rotate(releases.begin(), releases.begin() + 5, releases.end());
  expect_rows(rows(fleet), releases);
}

TEST(DecideRelease, EmptyCatalogue) {
  DeviceView device;
  device.device_id = "dev-1";
  device.current = v("1.0.0");
  const Decision decision = decide_release(device, {});
  EXPECT_EQ(decision.kind, Kind::NoUpdate);
  EXPECT_EQ(decision.release_id, 0);
}

struct ReasonCase {
  const char* what;
  Row row;
  const char* fragment;
};

TEST(DecideRelease, ReasonsExplainTheRule) {
  const Fleet f = make_fleet();
  const std::vector<ReasonCase> cases = {
      {"in progress",
       {.what = "", .kind = {}, .id = 0, .device = f.in4, .current = "1.0.0", .in_progress = 2},
       "update to release 2 (1.1.0) in progress; offered again"},
      {"in progress, held",
       {.what = "", .kind = {}, .id = 0, .device = f.out4, .current = "1.1.0", .in_progress = 5},
       "update to release 5 in progress"},
      {"revoked", {.what = "", .kind = {}, .id = 0, .device = f.out4, .current = "1.2.0"}, "release 3 (1.2.0) revoked"},
      {"revoked without target",
       {.what = "", .kind = {}, .id = 0, .device = f.in4, .current = "1.6.0"},
       "no usable rollback target"},
      {"held",
       {.what = "", .kind = {}, .id = 0, .device = f.in4, .current = "1.0.0", .device_pin = "1.0.0"},
       "held by device pin at 1.0.0"},
      {"pin without release",
       {.what = "", .kind = {}, .id = 0, .device = f.in4, .current = "1.0.0", .tag_pin = "9.9.9"},
       "tag pin at 9.9.9, but no release has that version"},
      {"pin to revoked",
       {.what = "", .kind = {}, .id = 0, .device = f.in4, .current = "1.0.0", .device_pin = "1.2.0"},
       "is revoked"},
      {"pin refused",
       {.what = "", .kind = {}, .id = 0, .device = f.in4, .current = "1.0.0", .refused = {5}, .device_pin = "1.4.0"},
       "refused release 5"},
      {"pin below secure_version",
       {.what = "", .kind = {}, .id = 0, .device = f.in4, .current = "1.0.0", .secure = 1, .device_pin = "0.9.0"},
       "secure_version 0, below the device's 1"},
  };
  const std::vector<ReleaseView> releases = catalogue(f);
  for (const ReasonCase& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string reason = decide_release(device_of(c.row), releases).reason;
    EXPECT_NE(reason.find(c.fragment), std::string::npos) << reason;
  }
}

struct TargetCase {
  const char* what;
  ReleaseView source;
  ReleaseView target;
  const char* fragment;  // nullptr: valid
};

TEST(ValidateRollbackTarget, Table) {
  using enum ReleaseState;
  const std::vector<TargetCase> cases = {
      {"older active release", release(3, "1.2.0", Channel::Stable, Revoked, 1),
       release(2, "1.1.0", Channel::Stable, Active, 1), nullptr},
      {"higher secure_version is fine", release(3, "1.2.0", Channel::Stable, Active, 1),
       release(2, "1.1.0", Channel::Stable, Active, 2), nullptr},
      {"fix forward", release(3, "1.2.0", Channel::Stable, Revoked, 1), release(4, "1.2.1", Channel::Stable, Active, 1),
       nullptr},
      {"paused target", release(3, "1.2.0", Channel::Stable, Revoked, 1),
       release(2, "1.1.0", Channel::Stable, Paused, 1), nullptr},
      {"other channel", release(7, "1.5.0-beta.2", Channel::Beta, Revoked, 2),
       release(4, "1.3.0", Channel::Stable, Active, 2), nullptr},
      {"itself", release(3, "1.2.0", Channel::Stable, Revoked, 1), release(3, "1.2.0", Channel::Stable, Revoked, 1),
       "its own rollback target"},
      {"revoked target", release(3, "1.2.0", Channel::Stable, Revoked, 1),
       release(2, "1.1.0", Channel::Stable, Revoked, 1), "release 2 (1.1.0) is revoked"},
      {"same version", release(15, "1.7.0", Channel::Stable, Revoked, 2),
       release(16, "1.7.0+fix", Channel::Stable, Active, 2), "could not be told apart"},
      {"lower secure_version", release(4, "1.3.0", Channel::Stable, Revoked, 2),
       release(2, "1.1.0", Channel::Stable, Active, 1),
       "devices that installed release 4 (1.3.0) burned secure_version 2 and would refuse release 2 (1.1.0) "
       "(secure_version 1)"},
  };
  for (const TargetCase& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string error = validate_rollback_target(c.source, c.target);
    if (c.fragment == nullptr) {
      EXPECT_EQ(error, "");
    } else {
      EXPECT_NE(error.find(c.fragment), std::string::npos) << error;
    }
  }
}

}  // namespace
