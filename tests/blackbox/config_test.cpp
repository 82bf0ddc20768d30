// GET /api/config and the admin config routes against the real binary: the
// empty default, project default merged under device keys (nested objects
// merge, device wins), updated_at, ETag / If-None-Match, changes made by the
// CLI while the server runs, and refusal of bodies that are not JSON objects.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>

#include "support/http_checks.h"
#include "support/polling.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "config-secret-0123456";

std::string config_path(const std::string& device_id, const std::string& secret = kSecret) {
  return "/api/config?device_id=" + device_id + "&device_secret=" + secret;
}

class Config : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(register_device(client_, "cfg-1", kSecret, server_.admin_key()), 200);
    ASSERT_EQ(register_device(client_, "cfg-2", kSecret, server_.admin_key()), 200);
  }

  // The device's view; FAILs unless 200.
  boost::json::value device_view(const std::string& device_id) {
    auto res = client_.Get(config_path(device_id));
    if (!res || res->status != 200) {
      ADD_FAILURE() << device_id << ": " << (res ? res->body : "no response");
      return nullptr;
    }
    return json_of(res->body);
  }

  httplib::Result put(const std::string& path, const std::string& body) {
    return client_.Put(path, bearer(server_.admin_key()), body, "application/json");
  }

  ServerProcess server_;
  httplib::Client client_ = server_.client();
};

TEST_F(Config, NoConfigIsAnEmptyObjectAndNullTime) {
  auto res = client_.Get(config_path("cfg-1"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json_of(res->body), json_of(R"({"config":{},"updated_at":null})"));
  EXPECT_NE(res->get_header_value("Content-Type").find("application/json"), std::string::npos);

  auto admin = client_.Get("/api/admin/devices/cfg-1/config", bearer(server_.admin_key()));
  ASSERT_TRUE(admin);
  ASSERT_EQ(admin->status, 200) << admin->body;
  EXPECT_EQ(json_of(admin->body), json_of(R"({"config":{},"updated_at":null,"merged":{}})"));
}

TEST_F(Config, DeviceAuthenticationIsRequired) {
  EXPECT_TRUE(is_error(client_.Get(config_path("cfg-1", "wrong-secret-0123456789")), 401, "INVALID_SECRET"));
  EXPECT_TRUE(is_error(client_.Get(config_path("nobody")), 401, "DEVICE_NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Get("/api/config?device_id=cfg-1"), 400, "MISSING_PARAMETER"));
  httplib::Headers creds = {{"X-Device-Id", "cfg-1"}, {"X-Device-Secret", kSecret}};
  auto res = client_.Get("/api/config", creds);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(Config, ProjectDefaultMergesUnderDeviceKeys) {
  std::time_t before = std::time(nullptr);
  auto project = put("/api/admin/config",
                     R"({"interval":5000,"log_level":"info","retry_count":3,)"
                     R"("mqtt":{"host":"broker.local","port":1883,"tls":{"verify":true,"ca":"x"}},"tags":[1,2]})");
  ASSERT_TRUE(project);
  ASSERT_EQ(project->status, 200) << project->body;
  EXPECT_TRUE(json_of(project->body).at("updated_at").is_string()) << project->body;

  // Only the default so far: every device of the project sees it.
  auto only_default = device_view("cfg-2");
  EXPECT_EQ(only_default.at("config"), json_of(R"({"interval":5000,"log_level":"info","retry_count":3,)"
                                               R"("mqtt":{"host":"broker.local","port":1883,)"
                                               R"("tls":{"verify":true,"ca":"x"}},"tags":[1,2]})"));

  auto device = put("/api/admin/devices/cfg-1/config",
                    R"({"log_level":"debug","mqtt":{"port":8883,"tls":{"verify":false}},"tags":[3],"extra":null,)"
                    R"("new_key":{"a":1}})");
  ASSERT_TRUE(device);
  ASSERT_EQ(device->status, 200) << device->body;
  EXPECT_EQ(json_of(device->body).at("config").at("log_level"), "debug");

  auto merged = device_view("cfg-1");
  EXPECT_EQ(merged.at("config"), json_of(R"({"interval":5000,"log_level":"debug","retry_count":3,)"
                                         R"("mqtt":{"host":"broker.local","port":8883,)"
                                         R"("tls":{"verify":false,"ca":"x"}},)"
                                         R"("tags":[3],"extra":null,"new_key":{"a":1}})"))
      << boost::json::serialize(merged);
  ASSERT_TRUE(merged.at("updated_at").is_string());
  std::time_t updated = parse_iso8601(std::string(merged.at("updated_at").as_string()));
  EXPECT_GE(updated, before - 1);
  EXPECT_LE(updated, std::time(nullptr) + 1);
  EXPECT_EQ(std::string(merged.at("updated_at").as_string()).back(), 'Z');

  // The other device is untouched by cfg-1's keys.
  EXPECT_EQ(device_view("cfg-2").at("config").at("log_level"), "info");

  // The admin views show each layer alone.
  auto admin_device = client_.Get("/api/admin/devices/cfg-1/config", bearer(server_.admin_key()));
  ASSERT_TRUE(admin_device);
  EXPECT_EQ(json_of(admin_device->body).at("config"),
            json_of(R"({"log_level":"debug","mqtt":{"port":8883,"tls":{"verify":false}},"tags":[3],)"
                    R"("extra":null,"new_key":{"a":1}})"));
  auto admin_project = client_.Get("/api/admin/config", bearer(server_.admin_key()));
  ASSERT_TRUE(admin_project);
  EXPECT_EQ(json_of(admin_project->body).at("config").at("log_level"), "info");
}

TEST_F(Config, EtagAndIfNoneMatch) {
  ASSERT_EQ(status_of(put("/api/admin/devices/cfg-1/config", R"({"interval":1000})")), 200);
  auto first = client_.Get(config_path("cfg-1"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  const std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  // Asking again gives the same tag.
  EXPECT_EQ(client_.Get(config_path("cfg-1"))->get_header_value("ETag"), etag);

  // Raw, to see that the 304 has no body at all.
  std::string raw = raw_exchange(server_.port(), "GET " + config_path("cfg-1") +
                                                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: " + etag +
                                                     "\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(raw.starts_with("HTTP/1.1 304")) << raw;
  auto end_of_head = raw.find("\r\n\r\n");
  ASSERT_NE(end_of_head, std::string::npos) << raw;
  EXPECT_EQ(raw.size(), end_of_head + 4) << "304 carried a body: " << raw;
  auto not_modified = client_.Get(config_path("cfg-1"), {{"If-None-Match", etag}});
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_TRUE(not_modified->body.empty());
  auto other_tag = client_.Get(config_path("cfg-1"), {{"If-None-Match", "\"0123\""}});
  ASSERT_TRUE(other_tag);
  EXPECT_EQ(other_tag->status, 200);

  // A change (here to the project default) gives a new tag; the old one no longer matches.
  ASSERT_EQ(status_of(put("/api/admin/config", R"({"log_level":"warn"})")), 200);
  auto changed = client_.Get(config_path("cfg-1"), {{"If-None-Match", etag}});
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_NE(changed->get_header_value("ETag"), etag);
  EXPECT_FALSE(changed->get_header_value("ETag").empty());
  EXPECT_EQ(json_of(changed->body).at("config"), json_of(R"({"log_level":"warn","interval":1000})"));
}

TEST_F(Config, CliChangeIsSeenAtOnce) {
  auto set = server_.cli({"config", "set", "--device", "cfg-1", R"({"interval":250,"mode":"cli"})"});
  ASSERT_EQ(set.exit_code, 0) << set.out;
  boost::json::value view;
  EXPECT_TRUE(eventually(
      [&] {
        view = device_view("cfg-1");
        return view.is_object() && view.at("config") == json_of(R"({"interval":250,"mode":"cli"})");
      },
      std::chrono::seconds(1)))
      << boost::json::serialize(view);
  EXPECT_TRUE(view.at("updated_at").is_string());

  auto project = server_.cli({"config", "set", "--project", "default", R"({"mode":"default","level":2})"});
  ASSERT_EQ(project.exit_code, 0) << project.out;
  EXPECT_TRUE(eventually(
      [&] {
        view = device_view("cfg-1");
        return view.is_object() && view.at("config") == json_of(R"({"mode":"cli","level":2,"interval":250})");
      },
      std::chrono::seconds(1)))
      << boost::json::serialize(view);
}

TEST_F(Config, BodiesThatAreNotObjectsAreRefused) {
  for (const char* path : {"/api/admin/config", "/api/admin/devices/cfg-1/config"}) {
    EXPECT_TRUE(is_error(put(path, "{\"interval\": 5"), 400, "INVALID_JSON")) << path;
    EXPECT_TRUE(is_error(put(path, "interval=5"), 400, "INVALID_JSON")) << path;
    EXPECT_TRUE(is_error(put(path, ""), 400, "INVALID_JSON")) << path;
    for (const char* not_object : {"[1,2]", "\"text\"", "5", "null", "true"}) {
      auto res = put(path, not_object);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 400) << path << " " << not_object << ": " << res->body;
    }
  }
  // Nothing was stored.
  EXPECT_EQ(device_view("cfg-1"), json_of(R"({"config":{},"updated_at":null})"));
  EXPECT_TRUE(is_error(put("/api/admin/devices/nobody/config", R"({"a":1})"), 404, "NOT_FOUND"));
}

}  // namespace
}  // namespace apiota::testing
