// The device secret rule against the real binary: POST /api/register accepts
// only secrets the seed's sketch can put into a query string unencoded
// (A-Z a-z 0-9 - . _ ~), whatever way the secret arrives; a registered
// secret then works for check-update exactly as the sketch sends it.
// (Import: device_import_test.cpp; devices registered before the rule:
// tests/unit/pre_rule_secret_test.cpp.)

#include <gtest/gtest.h>

#include <string>

#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

httplib::Result post_register(httplib::Client& client, const std::string& id, const std::string& secret,
                              const std::string& key) {
  boost::json::object body{{"device_id", id}, {"device_secret", secret}, {"pk_key", key}, {"firmware_ver", "1.0.0"}};
  return client.Post("/api/register", boost::json::serialize(body), "application/json");
}

TEST(SecretRule, RegistrationRefusesWhatAQueryStringWouldMangle) {
  ServerProcess server;
  auto client = server.client();
  for (const std::string secret : {"secret%41with-percent", "secret&with&ampersand", "secret#with#hash0",
                                   "secret+with+plus00", "secret with a space", "secret=with=equals",
                                   "secret!with!bang000", "secret/with/slash00", "secret?with?query00"}) {
    auto res = post_register(client, "dev-rule", secret, server.admin_key());
    EXPECT_TRUE(is_error(res, 400, "INVALID_PARAMETER")) << secret;
    if (res) {
      EXPECT_NE(res->body.find("device_secret must be 16-128 characters of A-Z a-z 0-9 - . _ ~"), std::string::npos)
          << res->body;
    }
  }
  EXPECT_TRUE(is_error(client.Get(check_update_path("dev-rule", "1.0.0", "secret-with-nothing-odd")), 401,
                       "DEVICE_NOT_FOUND"));
}

TEST(SecretRule, EveryAllowedCharacterWorksUnencodedInCheckUpdate) {
  ServerProcess server;
  auto client = server.client();
  const std::string secret = "AZaz09-._~Tilde~Dot.Under_Dash-";
  auto res = post_register(client, "dev-ok", secret, server.admin_key());
  ASSERT_EQ(status_of(res), 200) << (res ? res->body : "no response");
  EXPECT_EQ(status_of(client.Get(check_update_path("dev-ok", "1.0.0", secret))), 200);
}

}  // namespace
}  // namespace apiota::testing
