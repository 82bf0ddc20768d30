// check-update answers a known device from memory (api/fleet_cache.h). These
// scenarios poll a device until it is cached, then change what its answer
// depends on, from the admin API and from the CLI (another process), and
// expect the very next poll to reflect the change.

#include <gtest/gtest.h>

#include <string>

#include "support/esp_image_builder.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "cached-secret-01234567";

class CachedAnswers : public ::testing::Test {
 protected:
  CachedAnswers() : client_(server_.client()) {}

  std::int64_t upload(const std::string& version, const std::string& channel = "stable") {
    EspImageSpec spec;
    spec.version = version;
    spec.payload_bytes = 1024;
    auto res = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), version, channel);
    EXPECT_EQ(status_of(res), 200);
    return res ? json_of(res->body).at("id").to_number<std::int64_t>() : 0;
  }

  httplib::Result poll(const std::string& secret = kSecret) {
    return client_.Get(check_update_path("dev-1", "1.0.0", secret));
  }

  // The offered version, "" for no update; fails on anything but 200.
  std::string offered() {
    auto res = poll();
    EXPECT_EQ(status_of(res), 200) << (res ? res->body : "no response");
    if (!res || res->status != 200) return "?";
    auto body = json_of(res->body);
    return body.at("update") == true ? std::string(body.at("version").as_string()) : "";
  }

  void warm() {
    for (int i = 0; i < 3; ++i) offered();
  }

  httplib::Result admin(const std::string& method, const std::string& path, const std::string& body = "") {
    auto headers = bearer(server_.admin_key());
    if (method == "POST") return client_.Post(path, headers, body, "application/json");
    if (method == "PUT") return client_.Put(path, headers, body, "application/json");
    if (method == "PATCH") return client_.Patch(path, headers, body, "application/json");
    return client_.Delete(path, headers);
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(CachedAnswers, DeviceChangesApplyToTheNextPoll) {
  ASSERT_EQ(register_device(client_, "dev-1", kSecret, server_.admin_key()), 200);
  upload("1.1.0");
  upload("1.2.0-beta.1", "beta");
  warm();
  EXPECT_EQ(offered(), "1.1.0");
  EXPECT_TRUE(is_error(poll("a-wrong-secret-1234567"), 401, "INVALID_SECRET"));

  ASSERT_EQ(server_.cli({"devices", "block", "dev-1"}).exit_code, 0);
  EXPECT_TRUE(is_error(poll(), 403, "DEVICE_BLOCKED"));
  ASSERT_EQ(status_of(admin("POST", "/api/admin/devices/dev-1/unblock")), 200);
  EXPECT_EQ(offered(), "1.1.0");

  ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/dev-1/channel", R"({"channel":"beta"})")), 200);
  EXPECT_EQ(offered(), "1.2.0-beta.1");
  warm();
  ASSERT_EQ(server_.cli({"devices", "channel", "dev-1", "stable"}).exit_code, 0);
  EXPECT_EQ(offered(), "1.1.0");

  warm();
  ASSERT_EQ(server_.cli({"devices", "tags", "dev-1", "lab"}).exit_code, 0);
  ASSERT_EQ(server_.cli({"pins", "set", "--tag", "lab", "1.0.0"}).exit_code, 0);
  EXPECT_EQ(offered(), "");
  ASSERT_EQ(server_.cli({"pins", "clear", "--tag", "lab"}).exit_code, 0);
  EXPECT_EQ(offered(), "1.1.0");
}

TEST_F(CachedAnswers, ReleaseChangesApplyToTheNextPoll) {
  ASSERT_EQ(register_device(client_, "dev-1", kSecret, server_.admin_key()), 200);
  std::int64_t id = upload("1.1.0");
  warm();
  ASSERT_EQ(status_of(admin("POST", "/api/admin/releases/" + std::to_string(id) + "/pause")), 200);
  EXPECT_EQ(offered(), "");
  ASSERT_EQ(server_.cli({"releases", "resume", std::to_string(id)}).exit_code, 0);
  EXPECT_EQ(offered(), "1.1.0");
  upload("1.3.0");
  EXPECT_EQ(offered(), "1.3.0");
  warm();
  ASSERT_EQ(server_.cli({"pins", "set", "--device", "dev-1", "1.1.0"}).exit_code, 0);
  EXPECT_EQ(offered(), "1.1.0");
  ASSERT_EQ(status_of(admin("DELETE", "/api/admin/pins?device_id=dev-1")), 200);
  EXPECT_EQ(offered(), "1.3.0");

  // A report of an update in progress takes the device out of the cache:
  // it is offered the same release again, even once a newer one would be
  // the answer of a settled device.
  std::string body = R"({"device_id":"dev-1","device_secret":")" + std::string(kSecret) +
                     R"(","status":"downloading","from_version":"1.0.0","to_version":"1.3.0"})";
  ASSERT_EQ(status_of(client_.Post("/api/ota-log", body, "application/json")), 200);
  EXPECT_EQ(offered(), "1.3.0");
  upload("1.4.0");
  EXPECT_EQ(offered(), "1.3.0");
}

}  // namespace
}  // namespace apiota::testing
