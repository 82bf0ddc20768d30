#include "domain/channel.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace apiota::domain;

namespace {

TEST(ChannelParse, AcceptsExactlyTheThreeNames) {
  EXPECT_EQ(parse_channel("stable"), Channel::Stable);
  EXPECT_EQ(parse_channel("beta"), Channel::Beta);
  EXPECT_EQ(parse_channel("dev"), Channel::Dev);
}

TEST(ChannelParse, RejectsEverythingElse) {
  const std::vector<std::string> cases = {"",        "Stable", "BETA", "Dev", " stable", "stable ", "alpha",
                                          "release", "beta2",  "st",   "dev\n", std::string("dev\0", 4)};
  for (const std::string& input : cases) {
    EXPECT_FALSE(parse_channel(input).has_value()) << "accepted '" << input << "'";
  }
}

TEST(ChannelToString, SpellsEachChannel) {
  EXPECT_EQ(to_string(Channel::Stable), "stable");
  EXPECT_EQ(to_string(Channel::Beta), "beta");
  EXPECT_EQ(to_string(Channel::Dev), "dev");
}

TEST(ChannelToString, RoundTripsThroughParse) {
  for (const Channel c : {Channel::Stable, Channel::Beta, Channel::Dev}) {
    EXPECT_EQ(parse_channel(to_string(c)), c);
  }
}

TEST(ChannelValues, AreStableIdentifiers) {
  EXPECT_EQ(static_cast<int>(Channel::Stable), 0);
  EXPECT_EQ(static_cast<int>(Channel::Beta), 1);
  EXPECT_EQ(static_cast<int>(Channel::Dev), 2);
}

struct OffersCase {
  Channel device;
  Channel release;
  bool offered;
};

TEST(ChannelOffers, FullMatrix) {
  const std::vector<OffersCase> cases = {
      {Channel::Stable, Channel::Stable, true}, {Channel::Stable, Channel::Beta, false},
      {Channel::Stable, Channel::Dev, false},   {Channel::Beta, Channel::Stable, true},
      {Channel::Beta, Channel::Beta, true},     {Channel::Beta, Channel::Dev, false},
      {Channel::Dev, Channel::Stable, true},    {Channel::Dev, Channel::Beta, true},
      {Channel::Dev, Channel::Dev, true},
  };
  for (const OffersCase& c : cases) {
    EXPECT_EQ(channel_offers(c.device, c.release), c.offered)
        << "device " << to_string(c.device) << ", release " << to_string(c.release);
  }
}

}  // namespace
