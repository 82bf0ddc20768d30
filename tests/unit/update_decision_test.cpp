#include "domain/update_decision.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace apiota::domain;

namespace {

SemVer v(std::string_view text) {
  const std::optional<SemVer> parsed = parse_semver(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(SemVer{});
}

ReleaseCandidate release(std::int64_t id, std::string_view version, Channel channel) {
  return ReleaseCandidate{id, v(version), channel};
}

// A catalogue with one line per channel, interleaved in time.
std::vector<ReleaseCandidate> catalogue() {
  return {
      release(1, "1.0.0", Channel::Stable),       release(2, "1.0.9", Channel::Stable),
      release(3, "1.0.10", Channel::Stable),      release(4, "1.1.0-beta.1", Channel::Beta),
      release(5, "1.1.0-beta.2", Channel::Beta),  release(6, "1.2.0-dev.7", Channel::Dev),
      release(7, "1.1.0-dev.3", Channel::Dev),
  };
}

struct DecisionCase {
  const char* description;
  const char* current;
  Channel device;
  std::int64_t expected_id;  // 0: no update
};

TEST(ChooseUpdate, ChannelsTimesVersions) {
  const std::vector<DecisionCase> cases = {
      {"stable device behind", "1.0.0", Channel::Stable, 3},
      {"stable 1.0.9 gets 1.0.10 (numeric compare)", "1.0.9", Channel::Stable, 3},
      {"stable device on latest", "1.0.10", Channel::Stable, 0},
      {"stable device ignores betas", "1.0.10", Channel::Stable, 0},
      {"beta device behind takes newest beta", "1.0.0", Channel::Beta, 5},
      {"beta device between betas", "1.1.0-beta.1", Channel::Beta, 5},
      {"beta device on newest beta", "1.1.0-beta.2", Channel::Beta, 0},
      {"beta device ignores dev", "1.1.0-beta.2", Channel::Beta, 0},
      {"dev device takes newest of all", "1.0.0", Channel::Dev, 6},
      {"dev device on an older dev build", "1.1.0-dev.3", Channel::Dev, 6},
      {"dev device on newest dev", "1.2.0-dev.7", Channel::Dev, 0},
      {"device ahead of all releases", "9.0.0", Channel::Dev, 0},
      {"release of a pre-release is newer", "1.0.10-rc.1", Channel::Stable, 3},
      {"build metadata does not make it newer", "1.0.10+local", Channel::Stable, 0},
      {"stable device on a beta build only sees newer stable", "1.1.0-beta.1", Channel::Stable, 0},
  };
  const std::vector<ReleaseCandidate> releases = catalogue();
  for (const DecisionCase& c : cases) {
    SCOPED_TRACE(c.description);
    const std::optional<ReleaseCandidate> chosen = choose_update(v(c.current), c.device, releases);
    if (c.expected_id == 0) {
      EXPECT_FALSE(chosen.has_value()) << "offered id " << chosen->id;
    } else {
      ASSERT_TRUE(chosen.has_value());
      EXPECT_EQ(chosen->id, c.expected_id);
    }
  }
}

TEST(ChooseUpdate, ReturnsTheWholeCandidate) {
  const std::vector<ReleaseCandidate> releases = catalogue();
  const std::optional<ReleaseCandidate> chosen = choose_update(v("1.0.0"), Channel::Beta, releases);
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(*chosen, release(5, "1.1.0-beta.2", Channel::Beta));
}

TEST(ChooseUpdate, StableReleaseBeatsItsOwnPreReleases) {
  std::vector<ReleaseCandidate> releases = catalogue();
  releases.push_back(release(8, "1.1.0", Channel::Stable));
  for (const Channel device : {Channel::Stable, Channel::Beta}) {
    const std::optional<ReleaseCandidate> chosen = choose_update(v("1.1.0-beta.1"), device, releases);
    ASSERT_TRUE(chosen.has_value()) << to_string(device);
    EXPECT_EQ(chosen->id, 8) << to_string(device);
  }
  // The dev line is still ahead for dev devices.
  EXPECT_EQ(choose_update(v("1.1.0-beta.1"), Channel::Dev, releases)->id, 6);
}

TEST(ChooseUpdate, EqualPrecedencePrefersMoreStableChannel) {
  const std::vector<ReleaseCandidate> releases = {
      release(10, "2.0.0+dev", Channel::Dev),
      release(11, "2.0.0+beta", Channel::Beta),
      release(12, "2.0.0", Channel::Stable),
  };
  const std::vector<Channel> devices = {Channel::Stable, Channel::Beta, Channel::Dev};
  for (const Channel device : devices) {
    const std::optional<ReleaseCandidate> chosen = choose_update(v("1.0.0"), device, releases);
    ASSERT_TRUE(chosen.has_value());
    EXPECT_EQ(chosen->id, 12) << to_string(device);
  }
  const std::vector<ReleaseCandidate> without_stable(releases.begin(), releases.begin() + 2);
  EXPECT_EQ(choose_update(v("1.0.0"), Channel::Dev, without_stable)->id, 11);
}

TEST(ChooseUpdate, ResultDoesNotDependOnOrder) {
  std::vector<ReleaseCandidate> releases = catalogue();
  releases.push_back(release(20, "1.2.0-dev.7+rebuild", Channel::Dev));
  std::sort(releases.begin(), releases.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::int64_t first_seen = -1;
  do {
    const std::optional<ReleaseCandidate> chosen = choose_update(v("1.0.0"), Channel::Dev, releases);
    ASSERT_TRUE(chosen.has_value());
    if (first_seen < 0) first_seen = chosen->id;
    ASSERT_EQ(chosen->id, first_seen);
  } while (std::next_permutation(releases.begin(), releases.end(),
                                 [](const auto& a, const auto& b) { return a.id < b.id; }));
  // Same precedence and channel: the later upload (higher id) wins.
  EXPECT_EQ(first_seen, 20);
}

TEST(ChooseUpdate, EmptyListOffersNothing) {
  for (const Channel device : {Channel::Stable, Channel::Beta, Channel::Dev}) {
    EXPECT_FALSE(choose_update(v("0.0.0"), device, {}).has_value());
  }
}

TEST(ChooseUpdate, NothingOfferedOnOtherChannels) {
  const std::vector<ReleaseCandidate> releases = {release(1, "5.0.0", Channel::Dev),
                                                  release(2, "4.0.0-beta.1", Channel::Beta)};
  EXPECT_FALSE(choose_update(v("1.0.0"), Channel::Stable, releases).has_value());
  EXPECT_EQ(choose_update(v("1.0.0"), Channel::Beta, releases)->id, 2);
}

TEST(ChooseUpdate, NeverDowngrades) {
  const std::vector<ReleaseCandidate> releases = {release(1, "1.0.0", Channel::Stable),
                                                  release(2, "1.5.0", Channel::Stable)};
  EXPECT_FALSE(choose_update(v("2.0.0-alpha"), Channel::Stable, releases).has_value());
  EXPECT_FALSE(choose_update(v("1.5.0"), Channel::Stable, releases).has_value());
}

}  // namespace
