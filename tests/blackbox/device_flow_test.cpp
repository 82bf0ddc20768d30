// The seed's device flow end to end against the real binary: register,
// upload, check-update, download the returned url, report, fetch config.

#include <gtest/gtest.h>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "secret-0123456789";

TEST(DeviceFlow, SeedArduinoFlowWorksUnchanged) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "esp32-prod-001", kSecret, server.admin_key(), "1.0.9"), 200);

  EspImageSpec spec;
  spec.version = "1.1.0";
  spec.payload_bytes = 200 * 1024;
  auto image = build_esp_app_image(spec);
  auto up = upload_firmware(client, server.admin_key(), image, "1.1.0");
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 200) << up->body;

  // Exactly the query string the seed's checkOTA() builds.
  auto check = client.Get(check_update_path("esp32-prod-001", "1.0.9", kSecret));
  ASSERT_TRUE(check);
  ASSERT_EQ(check->status, 200) << check->body;
  auto answer = json_of(check->body).as_object();
  EXPECT_EQ(answer.at("update"), true);
  EXPECT_EQ(answer.at("version"), "1.1.0");
  EXPECT_EQ(answer.at("size").to_number<std::int64_t>(), static_cast<std::int64_t>(image.size()));
  EXPECT_EQ(answer.at("channel"), "stable");

  std::string url(answer.at("url").as_string());
  ASSERT_TRUE(url.starts_with(server.base_url() + "/api/firmware/fw-1.1.0-stable.bin")) << url;
  auto download = client.Get(url.substr(server.base_url().size()));
  ASSERT_TRUE(download);
  EXPECT_EQ(download->status, 200);
  EXPECT_EQ(download->body, std::string(image.begin(), image.end()));
  EXPECT_EQ(download->get_header_value("Content-Length"), std::to_string(image.size()));
  EXPECT_EQ(download->get_header_value("x-MD5").size(), 32u);

  // sendOTALog() as the seed writes it.
  std::string log = std::string(R"({"device_id":"esp32-prod-001","device_secret":")") + kSecret +
                    R"(","status":"done","from_version":"1.0.9","to_version":"1.1.0"})";
  auto report = client.Post("/api/ota-log", log, "application/json");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, 200) << report->body;
  EXPECT_EQ(json_of(report->body).at("success"), true);

  auto after = client.Get(check_update_path("esp32-prod-001", "1.1.0", kSecret));
  ASSERT_TRUE(after);
  EXPECT_EQ(json_of(after->body).at("update"), false);

  auto config = client.Get(std::string("/api/config?device_id=esp32-prod-001&device_secret=") + kSecret);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->status, 200);
  EXPECT_EQ(json_of(config->body), json_of(R"({"config":{},"updated_at":null})"));
}

}  // namespace
}  // namespace apiota::testing
