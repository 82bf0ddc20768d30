#include "service/attempt_tracking.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace apiota;

namespace {

using enum domain::Channel;

store::ReleaseRecord release(std::int64_t id, const std::string& version, domain::Channel channel) {
  store::ReleaseRecord r;
  r.id = id;
  r.version = version;
  r.channel = channel;
  return r;
}

store::DeviceRecord device_on(domain::Channel channel) {
  store::DeviceRecord d;
  d.row_id = 7;
  d.device_id = "dev-1";
  d.project_id = "default";
  d.channel = channel;
  d.firmware_version = "1.0.0";
  return d;
}

domain::SemVer v(const std::string& text) { return domain::parse_semver(text).value(); }

std::int64_t named(const std::vector<store::ReleaseRecord>& releases, domain::Channel channel,
                   const std::string& version, std::optional<std::int64_t> open_release = std::nullopt) {
  std::optional<domain::OpenAttempt> open;
  if (open_release) {
    open = domain::OpenAttempt{{*open_release, v(version)}, std::nullopt, domain::OtaStatus::Downloading, {}};
  }
  const auto* found = service::release_named_by(releases, device_on(channel), v(version), open);
  return found == nullptr ? 0 : found->id;
}

TEST(ReleaseNamedBy, PrefersTheOpenAttemptThenFollowedChannelsThenAny) {
  const std::vector<store::ReleaseRecord> releases = {
      release(1, "2.0.0", Dev),  release(2, "2.0.0", Beta), release(3, "2.0.0", Stable),
      release(4, "2.1.0", Dev),  release(5, "1.5.0", Beta), release(6, "2.0.0+rebuild", Beta),
      release(7, "bad", Stable),
  };
  EXPECT_EQ(named(releases, Stable, "2.0.0"), 3);
  EXPECT_EQ(named(releases, Dev, "2.0.0"), 3) << "the most stable followed channel";
  EXPECT_EQ(named(releases, Dev, "2.0.0", 1), 1) << "the open attempt's release";
  EXPECT_EQ(named(releases, Beta, "2.0.0+other"), 3) << "build metadata is ignored";
  EXPECT_EQ(named(releases, Stable, "2.1.0"), 4) << "a channel the device does not follow, when no other";
  EXPECT_EQ(named(releases, Stable, "1.5.0"), 5);
  EXPECT_EQ(named(releases, Stable, "3.0.0"), 0);
}

TEST(AttemptWrite, StartsEndsAndTouches) {
  auto device = device_on(Stable);
  device.open_attempt = store::AttemptRecord{};
  device.open_attempt->id = 41;

  domain::AttemptStep start;
  start.end_open = domain::AttemptEnd::Superseded;
  start.start = domain::AttemptStep::Start{{9, v("2.0.0")}, std::nullopt};
  auto write = service::attempt_write(start, device, domain::OtaStatus::Downloading, std::nullopt, 5000);
  EXPECT_EQ(write.open_id, 41);
  EXPECT_EQ(write.end_open, domain::AttemptEnd::Superseded);
  ASSERT_TRUE(write.start);
  EXPECT_EQ(write.start->release_id, 9);
  EXPECT_EQ(write.start->device_row_id, 7);
  EXPECT_EQ(write.start->target_version, "2.0.0");
  EXPECT_EQ(write.start->from_version, "1.0.0") << "the stored version when the report names none";
  EXPECT_EQ(write.start->status, domain::OtaStatus::Downloading);
  EXPECT_EQ(write.start->outcome, std::nullopt);
  EXPECT_FALSE(write.start->ended_at);

  domain::AttemptStep ended;
  ended.start = domain::AttemptStep::Start{{9, v("2.0.0")}, domain::AttemptEnd::Succeeded};
  write = service::attempt_write(ended, device, domain::OtaStatus::Done, std::string("1.9.0"), 6000);
  ASSERT_TRUE(write.start);
  EXPECT_EQ(write.start->outcome, domain::AttemptEnd::Succeeded);
  EXPECT_EQ(write.start->ended_at, 6000);
  EXPECT_EQ(write.start->from_version, "1.9.0");

  domain::AttemptStep touch;
  touch.touch_open = true;
  write = service::attempt_write(touch, device, domain::OtaStatus::Flashing, std::nullopt, 7000);
  EXPECT_EQ(write.touch_status, domain::OtaStatus::Flashing);
  EXPECT_FALSE(write.end_open);
  EXPECT_FALSE(write.start);
  EXPECT_TRUE(
      service::attempt_write(domain::AttemptStep{}, device, domain::OtaStatus::Checking, std::nullopt, 8000).empty());
}

}  // namespace
