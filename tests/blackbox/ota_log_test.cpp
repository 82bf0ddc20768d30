// POST /api/ota-log against the real binary: the eight statuses, INVALID_STATUS,
// missing / wrong credentials, `done` moving the device's firmware version, and
// the admin log listing (newest first, server-time received_at).

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <string>

#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kDevice = "ota-dev";
constexpr const char* kSecret = "ota-log-secret-0123456";

boost::json::object report(const std::string& status) {
  return {{"device_id", kDevice}, {"device_secret", kSecret}, {"status", status}};
}

httplib::Result post_log(httplib::Client& client, const boost::json::object& body) {
  return client.Post("/api/ota-log", boost::json::serialize(body), "application/json");
}

class OtaLog : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(register_device(client_, kDevice, kSecret, server_.admin_key(), "1.0.0"), 200); }

  ServerProcess server_;
  httplib::Client client_ = server_.client();
};

TEST_F(OtaLog, EveryStatusIsAccepted) {
  for (const char* status :
       {"pending", "checking", "downloading", "verifying", "flashing", "rebooting", "done", "failed"}) {
    std::time_t before = std::time(nullptr);
    auto res = post_log(client_, report(status));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << status << ": " << res->body;
    auto body = json_of(res->body);
    EXPECT_EQ(body.at("success"), true);
    EXPECT_EQ(body.at("status"), status);
    std::string received(body.at("received_at").as_string());
    EXPECT_TRUE(std::regex_match(received, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << received;
    EXPECT_GE(parse_iso8601(received), before - 1);
    EXPECT_LE(parse_iso8601(received), std::time(nullptr) + 1);
  }
  auto logs = admin_get(client_, server_.admin_key(), std::string("/api/admin/devices/") + kDevice + "/logs");
  EXPECT_EQ(logs.at("logs").as_array().size(), 8u);
}

TEST_F(OtaLog, BadReportsAreRefused) {
  EXPECT_TRUE(is_error(post_log(client_, report("exploded")), 400, "INVALID_STATUS"));
  EXPECT_TRUE(is_error(post_log(client_, report("")), 400, "MISSING_PARAMETER"));
  auto no_status = report("done");
  no_status.erase("status");
  EXPECT_TRUE(is_error(post_log(client_, no_status), 400, "MISSING_PARAMETER"));

  auto wrong = report("done");
  wrong["device_secret"] = "wrong-secret-0123456789";
  EXPECT_TRUE(is_error(post_log(client_, wrong), 401, "INVALID_SECRET"));
  auto unknown = report("done");
  unknown["device_id"] = "nobody";
  EXPECT_TRUE(is_error(post_log(client_, unknown), 401, "DEVICE_NOT_FOUND"));
  auto no_secret = report("done");
  no_secret.erase("device_secret");
  EXPECT_TRUE(is_error(post_log(client_, no_secret), 400, "MISSING_PARAMETER"));

  EXPECT_TRUE(is_error(client_.Post("/api/ota-log", "status=done", "application/json"), 400, "INVALID_JSON"));
  EXPECT_TRUE(is_error(client_.Post("/api/ota-log", R"(["done"])", "application/json"), 400, "INVALID_JSON"));

  auto bad_version = report("done");
  bad_version["to_version"] = "one.two";
  EXPECT_TRUE(is_error(post_log(client_, bad_version), 400, "INVALID_VERSION"));

  // None of these was stored.
  auto logs = admin_get(client_, server_.admin_key(), std::string("/api/admin/devices/") + kDevice + "/logs");
  EXPECT_TRUE(logs.at("logs").as_array().empty()) << boost::json::serialize(logs);
}

TEST_F(OtaLog, CredentialsInQueryAndHeadersWork) {
  auto query =
      client_.Post(std::string("/api/ota-log?device_id=") + kDevice + "&device_secret=" + kSecret + "&status=checking",
                   "", "application/json");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->status, 200) << query->body;

  httplib::Headers creds = {{"X-Device-Id", kDevice}, {"X-Device-Secret", kSecret}};
  auto headers = client_.Post("/api/ota-log", creds, R"({"status":"pending"})", "application/json");
  ASSERT_TRUE(headers);
  EXPECT_EQ(headers->status, 200) << headers->body;
}

TEST_F(OtaLog, DoneSetsTheDeviceFirmwareVersion) {
  const std::string device_path = std::string("/api/admin/devices/") + kDevice;
  auto failed = report("failed");
  failed["from_version"] = "1.0.0";
  failed["to_version"] = "1.4.0";
  failed["message"] = "sha256 mismatch";
  ASSERT_EQ(status_of(post_log(client_, failed)), 200);
  EXPECT_EQ(admin_get(client_, server_.admin_key(), device_path).at("firmware_version"), "1.0.0");

  auto done = report("done");
  done["from_version"] = "1.0.0";
  done["to_version"] = "v1.5.0";
  auto res = post_log(client_, done);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  boost::json::value device;
  EXPECT_TRUE(eventually(
      [&] {
        device = admin_get(client_, server_.admin_key(), device_path);
        return device.is_object() && device.as_object().contains("firmware_version") &&
               device.at("firmware_version") == "1.5.0";
      },
      std::chrono::seconds(3)))
      << boost::json::serialize(device);

  // done without to_version leaves the version alone.
  ASSERT_EQ(status_of(post_log(client_, report("done"))), 200);
  EXPECT_EQ(admin_get(client_, server_.admin_key(), device_path).at("firmware_version"), "1.5.0");
}

TEST_F(OtaLog, LogsAreListedNewestFirstWithServerTime) {
  const std::vector<std::string> sequence = {"checking", "downloading", "verifying", "flashing"};
  std::time_t before = std::time(nullptr);
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    auto body = report(sequence[i]);
    body["from_version"] = "1.0.0";
    body["to_version"] = "1.1.0";
    body["message"] = "step " + std::to_string(i);
    body["received_at"] = "2001-01-01T00:00:00Z";  // a device clock is not trusted
    auto res = post_log(client_, body);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  std::time_t after = std::time(nullptr);

  auto logs = admin_get(client_, server_.admin_key(), std::string("/api/admin/devices/") + kDevice + "/logs");
  EXPECT_EQ(logs.at("device_id"), kDevice);
  const auto& entries = logs.at("logs").as_array();
  ASSERT_EQ(entries.size(), sequence.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    const std::size_t sent = sequence.size() - 1 - i;
    EXPECT_EQ(entry.at("status"), sequence[sent].c_str()) << i;
    EXPECT_EQ(entry.at("message"), ("step " + std::to_string(sent)).c_str());
    EXPECT_EQ(entry.at("from_version"), "1.0.0");
    EXPECT_EQ(entry.at("to_version"), "1.1.0");
    EXPECT_EQ(entry.at("device_id"), kDevice);
    std::time_t t = parse_iso8601(std::string(entry.at("received_at").as_string()));
    EXPECT_GE(t, before - 1);
    EXPECT_LE(t, after + 1);
  }
  auto limited =
      admin_get(client_, server_.admin_key(), std::string("/api/admin/devices/") + kDevice + "/logs?limit=1");
  ASSERT_EQ(limited.at("logs").as_array().size(), 1u);
  EXPECT_EQ(limited.at("logs").as_array()[0].at("status"), "flashing");
}

}  // namespace
}  // namespace apiota::testing
