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
      {"ABCXYZabcxyz0189-._~", true},
      // Characters an unencoded query string mangles or cuts (the seed's
      // sketch sends the secret that way), and other reserved ones.
      {"secret%41-percent-sign", false},
      {"secret&with&ampersand", false},
      {"secret#with#hash-mark", false},
      {"secret+with+plus-sign", false},
      {"secret=with=equals-sign", false},
      {"secret/with/slash-mark", false},
      {"secret!with*other:marks", false},
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

// What registration accepted before the secret rule: such a secret may still
// name the device that holds it.
TEST(DeviceSecret, PreRuleSecretsArePrintableAscii) {
  EXPECT_TRUE(is_pre_rule_device_secret("!~\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}"));
  EXPECT_TRUE(is_pre_rule_device_secret("ABCXYZabcxyz0189-._~"));
  EXPECT_FALSE(is_pre_rule_device_secret(std::string(kMinDeviceSecretLength - 1, 's')));
  EXPECT_FALSE(is_pre_rule_device_secret(std::string(kMaxDeviceSecretLength + 1, 's')));
  EXPECT_FALSE(is_pre_rule_device_secret("has a space in the middle"));
  EXPECT_FALSE(is_pre_rule_device_secret("del-character\x7f-secret"));
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
