// A release's audience (the "eligible" count) must agree with the decision
// check-update makes: for an unblocked device with no pin, no refusal and no
// update in progress, on an older version, in_audience() is true exactly when
// decide_release() offers the release.

#include "domain/rollout_audience.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/release_decision.h"
#include "domain/semver.h"

using namespace apiota::domain;

namespace {

AudienceDevice fleet_device(int i) {
  static const Channel kChannels[] = {Channel::Stable, Channel::Beta, Channel::Dev};
  AudienceDevice d{"dev-" + std::to_string(i), kChannels[i % 3], false, {}};
  if (i % 4 == 0) d.tags.push_back("lab");
  if (i % 7 == 0) d.tags.push_back("field");
  return d;
}

Decision decide(const AudienceRelease& release, const AudienceDevice& device) {
  ReleaseView view{release.id, parse_semver("2.0.0").value(), release.channel, ReleaseState::Active, 0,
                   release.targeting, std::nullopt};
  DeviceView d;
  d.device_id = device.device_id;
  d.current = parse_semver("1.0.0").value();
  d.channel = device.channel;
  d.tags = device.tags;
  const std::vector<ReleaseView> releases{view};
  return decide_release(d, releases);
}

void expect_agreement(const AudienceRelease& release) {
  int inside = 0;
  for (int i = 0; i < 3000; ++i) {
    const AudienceDevice device = fleet_device(i);
    const bool offered = decide(release, device).kind == Decision::Kind::Update;
    ASSERT_EQ(in_audience(release, device), offered) << device.device_id;
    inside += offered;
  }
  EXPECT_GT(inside, 0);
}

TEST(RolloutAudience, AgreesWithTheDecisionForAShareOfEveryChannel) {
  expect_agreement(AudienceRelease{7, Channel::Stable, RolloutTargeting{10, {}, {}}});
  expect_agreement(AudienceRelease{8, Channel::Beta, RolloutTargeting{37.5, {}, {}}});
  expect_agreement(AudienceRelease{9, Channel::Dev, RolloutTargeting{100, {}, {}}});
}

TEST(RolloutAudience, AgreesWithTheDecisionForTagsAndListedDevices) {
  expect_agreement(AudienceRelease{11, Channel::Stable, RolloutTargeting{50, {"lab", "field"}, {}}});
  expect_agreement(AudienceRelease{12, Channel::Stable, RolloutTargeting{0, {}, {"dev-1", "dev-2", "dev-5"}}});
  expect_agreement(AudienceRelease{13, Channel::Beta, RolloutTargeting{25, {"lab"}, {"dev-1", "dev-3"}}});
}

TEST(RolloutAudience, BlockedDevicesAreNeverInIt) {
  AudienceDevice device{"dev-1", Channel::Dev, true, {}};
  EXPECT_FALSE(in_audience(AudienceRelease{1, Channel::Stable, RolloutTargeting{100, {}, {"dev-1"}}}, device));
  device.blocked = false;
  EXPECT_TRUE(in_audience(AudienceRelease{1, Channel::Stable, RolloutTargeting{100, {}, {"dev-1"}}}, device));
}

TEST(RolloutAudience, ListedDevicesStillNeedTheirChannel) {
  const AudienceDevice stable{"dev-1", Channel::Stable, false, {}};
  EXPECT_FALSE(in_audience(AudienceRelease{1, Channel::Beta, RolloutTargeting{0, {}, {"dev-1"}}}, stable));
}

TEST(RolloutAudience, ChannelsFollowChannelOffers) {
  EXPECT_EQ(audience_channels(Channel::Stable), (std::vector<Channel>{Channel::Stable, Channel::Beta, Channel::Dev}));
  EXPECT_EQ(audience_channels(Channel::Beta), (std::vector<Channel>{Channel::Beta, Channel::Dev}));
  EXPECT_EQ(audience_channels(Channel::Dev), (std::vector<Channel>{Channel::Dev}));
}

}  // namespace
