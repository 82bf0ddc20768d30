#include "domain/identifiers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace apiota::domain;

namespace {

struct IdCase {
  std::string input;
  bool valid;
};

TEST(DeviceId, TableOfCases) {
  const std::vector<IdCase> cases = {
      {"esp32-prod-001", true},
      {"a", true},
      {"ESP32_AA:BB:CC:DD:EE:FF", true},
      {"node.7", true},
      {"-", true},
      {std::string(64, 'x'), true},
      {std::string(65, 'x'), false},
      {"", false},
      {"esp32 prod", false},
      {"esp32/prod", false},
      {"../etc", false},
      {"dev@home", false},
      {"dev%20", false},
      {"dévice", false},
      {"dev\n", false},
      {std::string("dev\0x", 5), false},
  };
  for (const IdCase& c : cases) {
    EXPECT_EQ(is_valid_device_id(c.input), c.valid) << "'" << c.input << "'";
  }
}

TEST(ProjectId, TableOfCases) {
  const std::vector<IdCase> cases = {
      {"default", true},
      {"acme-iot", true},
      {"0day", true},
      {"a", true},
      {"a-", true},
      {std::string(32, 'p'), true},
      {std::string(33, 'p'), false},
      {"", false},
      {"-acme", false},
      {"Acme", false},
      {"acme_iot", false},
      {"acme.iot", false},
      {"acme iot", false},
      {"..", false},
      {"acme/x", false},
  };
  for (const IdCase& c : cases) {
    EXPECT_EQ(is_valid_project_id(c.input), c.valid) << "'" << c.input << "'";
  }
}

TEST(DeviceSecret, TableOfCases) {
  const std::vector<IdCase> cases = {
      {std::string(kMinDeviceSecretLength, 's'), true},
      {std::string(kMaxDeviceSecretLength, 's'), true},
      {"your_device_secret", true},
      {"!~\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}", true},
      {std::string(kMinDeviceSecretLength - 1, 's'), false},
      {std::string(kMaxDeviceSecretLength + 1, 's'), false},
      {"", false},
      {"has a space in the middle", false},
      {"tab\tseparated-secret", false},
      {"trailing-newline-secret\n", false},
      {"del-character\x7f-secret", false},
      {"non-ascii-s\xc3\xa9" "cret-value", false},
      {std::string("nul\0byte-in-the-secret", 22), false},
  };
  for (const IdCase& c : cases) {
    EXPECT_EQ(is_valid_device_secret(c.input), c.valid) << "'" << c.input << "' (" << c.input.size() << " chars)";
  }
}

TEST(DeviceSecret, BoundsAreAsDocumented) {
  EXPECT_EQ(kMinDeviceSecretLength, 16u);
  EXPECT_EQ(kMaxDeviceSecretLength, 128u);
}

TEST(Tags, AcceptLowercaseLabels) {
  EXPECT_TRUE(is_valid_tag("canary"));
  EXPECT_TRUE(is_valid_tag("site-7.floor_2"));
  EXPECT_TRUE(is_valid_tag(std::string(32, 'a')));
}

TEST(Tags, RejectOthers) {
  EXPECT_FALSE(is_valid_tag(""));
  EXPECT_FALSE(is_valid_tag(std::string(33, 'a')));
  EXPECT_FALSE(is_valid_tag("Canary"));
  EXPECT_FALSE(is_valid_tag("a,b"));
  EXPECT_FALSE(is_valid_tag("a b"));
}

}  // namespace
