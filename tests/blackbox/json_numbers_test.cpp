// JSON numbers that are not finite (1e999, -1e309, 1.7976931348623159e308...)
// against the real binary: every route that takes a JSON body refuses them
// with 400 INVALID_JSON before anything is stored, so a config that could not
// be read back never reaches a device, and `apiota config set` fails too.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "numbers-secret-0123456";

// Spellings that overflow a double, at the top level and nested.
const std::vector<std::string> kNotFinite = {"1e999", "1E400", "-1e309", "1.7976931348623159e308", "-1.8e308"};

class JsonNumbers : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(register_device(client_, "num-1", kSecret, server_.admin_key()), 200);
    auto res = client_.Put("/api/admin/config", bearer(server_.admin_key()), R"({"interval":5000})",
                           "application/json");
    ASSERT_EQ(status_of(res), 200) << (res ? res->body : "no response");
  }

  // The device's config still answers 200 with the config stored in SetUp.
  void expect_config_intact() {
    auto res = client_.Get("/api/config?device_id=num-1&device_secret=" + std::string(kSecret));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json_of(res->body).at("config"), json_of(R"({"interval":5000})"));
    auto admin = client_.Get("/api/admin/config", bearer(server_.admin_key()));
    ASSERT_TRUE(admin);
    ASSERT_EQ(admin->status, 200) << admin->body;
    EXPECT_EQ(json_of(admin->body).at("config"), json_of(R"({"interval":5000})"));
  }

  ServerProcess server_;
  httplib::Client client_ = server_.client();
};

TEST_F(JsonNumbers, ProjectConfigRefusesThemAndKeepsTheStoredOne) {
  for (const auto& number : kNotFinite) {
    for (const auto& body : {R"({"interval":)" + number + "}", R"({"a":{"b":[1,)" + number + "]}}"}) {
      auto res = client_.Put("/api/admin/config", bearer(server_.admin_key()), body, "application/json");
      EXPECT_TRUE(is_error(res, 400, "INVALID_JSON")) << body;
    }
  }
  expect_config_intact();
}

TEST_F(JsonNumbers, DeviceConfigRefusesThem) {
  for (const auto& number : kNotFinite) {
    auto res = client_.Put("/api/admin/devices/num-1/config", bearer(server_.admin_key()),
                           R"({"interval":)" + number + "}", "application/json");
    EXPECT_TRUE(is_error(res, 400, "INVALID_JSON")) << number;
  }
  expect_config_intact();
  auto admin = client_.Get("/api/admin/devices/num-1/config", bearer(server_.admin_key()));
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 200) << admin->body;
}

TEST_F(JsonNumbers, DeviceRoutesRefuseThem) {
  std::string creds = R"("device_id":"num-1","device_secret":")" + std::string(kSecret) + R"(")";
  auto report = client_.Post("/api/ota-log", "{" + creds + R"(,"status":"downloading","progress":1e999})",
                             "application/json");
  EXPECT_TRUE(is_error(report, 400, "INVALID_JSON"));
  auto reg = client_.Post("/api/register",
                          R"({"device_id":"num-2","device_secret":"numbers-secret-999999","pk_key":")" +
                              server_.admin_key() + R"(","extra":-1e309})",
                          "application/json");
  EXPECT_TRUE(is_error(reg, 400, "INVALID_JSON"));
  auto devices = client_.Get("/api/admin/devices/num-2", bearer(server_.admin_key()));
  EXPECT_EQ(status_of(devices), 404) << "a refused registration must not be stored";
}

TEST_F(JsonNumbers, CliConfigSetFailsAndStoresNothing) {
  auto result = server_.cli({"config", "set", "--project", "default", R"({"interval":1e999})"});
  EXPECT_NE(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("JSON"), std::string::npos) << result.out;
  expect_config_intact();
}

}  // namespace
}  // namespace apiota::testing
