// The admin API (/api/admin/...) against the real binary: every route's happy
// path, project isolation between admin keys, provision keys and missing or
// unknown keys refused on every route, keys shown once, JSON 404 / 405 for
// unknown routes and methods, and no secrets in the server log.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "admin-api-secret-01234";

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

struct Route {
  std::string method;
  std::string path;
  std::string body;
};

// Every admin route, aimed at device `device_id` and key `key_id`.
std::vector<Route> admin_routes(const std::string& device_id, const std::string& key_id) {
  const std::string dev = "/api/admin/devices/" + device_id;
  return {
      {"GET", "/api/admin/project", ""},
      {"GET", "/api/admin/keys", ""},
      {"POST", "/api/admin/keys", R"({"role":"provision"})"},
      {"DELETE", "/api/admin/keys/" + key_id, ""},
      {"GET", "/api/admin/devices", ""},
      {"GET", dev, ""},
      {"POST", dev + "/block", ""},
      {"POST", dev + "/unblock", ""},
      {"PUT", dev + "/channel", R"({"channel":"beta"})"},
      {"GET", dev + "/logs", ""},
      {"GET", dev + "/config", ""},
      {"PUT", dev + "/config", R"({"a":1})"},
      {"GET", "/api/admin/config", ""},
      {"PUT", "/api/admin/config", R"({"a":1})"},
      {"GET", "/api/admin/releases", ""},
      {"GET", "/api/admin/stats", ""},
      {"GET", "/api/admin/releases/1/progress", ""},
  };
}

httplib::Result call(httplib::Client& client, const Route& route, const httplib::Headers& headers) {
  if (route.method == "GET") return client.Get(route.path, headers);
  if (route.method == "POST") return client.Post(route.path, headers, route.body, "application/json");
  if (route.method == "PUT") return client.Put(route.path, headers, route.body, "application/json");
  return client.Delete(route.path, headers);
}

class AdminApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(register_device(client_, "a-dev", kSecret, server_.admin_key(), "1.0.0"), 200); }

  // Creates project b with an admin key; returns the key.
  std::string make_project_b() {
    auto created = server_.cli({"projects", "create", "b"});
    EXPECT_EQ(created.exit_code, 0) << created.out;
    auto key = server_.cli({"keys", "create", "--role", "admin", "--project", "b"});
    EXPECT_EQ(key.exit_code, 0) << key.out;
    return last_line(key.out);
  }

  std::string admin_key_id() {
    auto keys = admin_get(client_, server_.admin_key(), "/api/admin/keys");
    for (const auto& k : keys.at("keys").as_array()) {
      if (k.at("role") == "admin") return std::string(k.at("id").as_string());
    }
    return {};
  }

  // Some tests send a wrong key to every admin route, more than the burst
  // that locks an address out (auth_failure_limit_test covers the lock-out).
  ServerProcess server_{ServerSetup{.config_toml = "[limits]\nauth_failure_burst = 0\n"}};
  httplib::Client client_ = server_.client();
};

TEST_F(AdminApi, ProjectKeysAndReleasesRoutes) {
  const std::string key = server_.admin_key();
  auto project = admin_get(client_, key, "/api/admin/project");
  EXPECT_EQ(project.at("id"), "default");
  EXPECT_EQ(project.at("device_count").to_number<int>(), 1);
  EXPECT_GT(project.at("plan").at("max_devices").to_number<std::int64_t>(), 0);
  EXPECT_GT(project.at("plan").at("max_firmware_bytes").to_number<std::int64_t>(), 0);

  auto keys = admin_get(client_, key, "/api/admin/keys");
  ASSERT_EQ(keys.at("keys").as_array().size(), 1u);
  EXPECT_EQ(keys.at("keys").as_array()[0].at("role"), "admin");
  EXPECT_EQ(keys.at("keys").as_array()[0].at("project_id"), "default");
  EXPECT_TRUE(keys.at("keys").as_array()[0].at("revoked_at").is_null());

  EXPECT_TRUE(admin_get(client_, key, "/api/admin/releases").at("releases").as_array().empty());
  EspImageSpec spec;
  spec.version = "1.1.0";
  auto up = upload_firmware(client_, key, build_esp_app_image(spec), "1.1.0");
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 200) << up->body;
  auto releases = admin_get(client_, key, "/api/admin/releases");
  ASSERT_EQ(releases.at("releases").as_array().size(), 1u);
  const auto& release = releases.at("releases").as_array()[0];
  EXPECT_EQ(release.at("version"), "1.1.0");
  EXPECT_EQ(release.at("channel"), "stable");
  EXPECT_EQ(release.at("filename"), "fw-1.1.0-stable.bin");
  EXPECT_EQ(release.at("sha256"), json_of(up->body).at("sha256"));
}

TEST_F(AdminApi, CreatedKeyIsShownOnceAndUsable) {
  auto created =
      client_.Post("/api/admin/keys", bearer(server_.admin_key()), R"({"role":"provision"})", "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  auto body = json_of(created->body);
  const std::string plaintext(body.at("key").as_string());
  const std::string id(body.at("id").as_string());
  EXPECT_TRUE(plaintext.starts_with("pk_live_")) << plaintext;
  EXPECT_EQ(body.at("role"), "provision");
  EXPECT_EQ(body.at("project_id"), "default");

  // Usable for registration, not for the admin API.
  ASSERT_EQ(register_device(client_, "new-dev", kSecret, plaintext), 200);
  EXPECT_TRUE(is_error(client_.Get("/api/admin/devices", bearer(plaintext)), 403, "FORBIDDEN"));

  // Never shown again.
  auto list = client_.Get("/api/admin/keys", bearer(server_.admin_key()));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.find(plaintext), std::string::npos);
  EXPECT_EQ(list->body.find(plaintext.substr(8)), std::string::npos);
  EXPECT_EQ(list->body.find(server_.admin_key()), std::string::npos);
  EXPECT_EQ(json_of(list->body).at("keys").as_array().size(), 2u);
  EXPECT_NE(list->body.find(id), std::string::npos);

  auto admin = client_.Post("/api/admin/keys", bearer(server_.admin_key()), R"({"role":"admin"})", "application/json");
  ASSERT_TRUE(admin);
  ASSERT_EQ(admin->status, 201) << admin->body;
  const std::string admin_plain(json_of(admin->body).at("key").as_string());
  auto project = client_.Get("/api/admin/project", bearer(admin_plain));
  ASSERT_TRUE(project);
  EXPECT_EQ(project->status, 200) << project->body;

  EXPECT_TRUE(
      is_error(client_.Post("/api/admin/keys", bearer(server_.admin_key()), R"({"role":"root"})", "application/json"),
               400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(client_.Post("/api/admin/keys", bearer(server_.admin_key()), "{}", "application/json"), 400,
                       "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(client_.Post("/api/admin/keys", bearer(server_.admin_key()), "role=admin", "application/json"),
                       400, "INVALID_JSON"));

  // Revoking makes it useless at once.
  auto revoked = client_.Delete("/api/admin/keys/" + id, bearer(server_.admin_key()));
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(json_of(revoked->body).at("success"), true);
  EXPECT_EQ(register_device(client_, "late-dev", kSecret, plaintext), 401);
  auto after = admin_get(client_, server_.admin_key(), "/api/admin/keys");
  for (const auto& k : after.at("keys").as_array()) {
    if (k.at("id") == id.c_str()) {
      EXPECT_TRUE(k.at("revoked_at").is_string());
    }
  }
  EXPECT_TRUE(
      is_error(client_.Delete("/api/admin/keys/key_doesnotexist", bearer(server_.admin_key())), 404, "NOT_FOUND"));
}

TEST_F(AdminApi, DeviceRoutes) {
  const std::string key = server_.admin_key();
  ASSERT_EQ(register_device(client_, "b2-dev", kSecret, key, "2.0.0"), 200);

  auto list = admin_get(client_, key, "/api/admin/devices");
  EXPECT_EQ(list.at("total").to_number<int>(), 2);
  ASSERT_EQ(list.at("devices").as_array().size(), 2u);
  auto limited = admin_get(client_, key, "/api/admin/devices?limit=1&offset=1");
  EXPECT_EQ(limited.at("devices").as_array().size(), 1u);
  EXPECT_EQ(limited.at("total").to_number<int>(), 2);
  EXPECT_TRUE(is_error(client_.Get("/api/admin/devices?limit=abc", bearer(key)), 400, "INVALID_PARAMETER"));

  auto device = admin_get(client_, key, "/api/admin/devices/a-dev");
  EXPECT_EQ(device.at("device_id"), "a-dev");
  EXPECT_EQ(device.at("project_id"), "default");
  EXPECT_EQ(device.at("channel"), "stable");
  EXPECT_EQ(device.at("blocked"), false);
  EXPECT_EQ(device.at("firmware_version"), "1.0.0");
  EXPECT_TRUE(device.at("registered_at").is_string());
  EXPECT_EQ(device.as_object().count("device_secret"), 0u);
  EXPECT_EQ(boost::json::serialize(device).find(kSecret), std::string::npos);
  EXPECT_TRUE(is_error(client_.Get("/api/admin/devices/nobody", bearer(key)), 404, "NOT_FOUND"));

  auto block = client_.Post("/api/admin/devices/a-dev/block", bearer(key), "", "application/json");
  ASSERT_TRUE(block);
  EXPECT_EQ(block->status, 200);
  EXPECT_EQ(admin_get(client_, key, "/api/admin/devices/a-dev").at("blocked"), true);
  auto unblock = client_.Post("/api/admin/devices/a-dev/unblock", bearer(key), "", "application/json");
  ASSERT_TRUE(unblock);
  EXPECT_EQ(unblock->status, 200);
  EXPECT_EQ(admin_get(client_, key, "/api/admin/devices/a-dev").at("blocked"), false);

  auto channel =
      client_.Put("/api/admin/devices/a-dev/channel", bearer(key), R"({"channel":"dev"})", "application/json");
  ASSERT_TRUE(channel);
  EXPECT_EQ(channel->status, 200) << channel->body;
  EXPECT_EQ(admin_get(client_, key, "/api/admin/devices/a-dev").at("channel"), "dev");
  EXPECT_TRUE(is_error(client_.Put("/api/admin/devices/a-dev/channel", bearer(key), "{}", "application/json"), 400,
                       "MISSING_PARAMETER"));

  auto log = client_.Post("/api/ota-log",
                          std::string(R"({"device_id":"a-dev","device_secret":")") + kSecret +
                              R"(","status":"downloading","to_version":"1.1.0"})",
                          "application/json");
  ASSERT_TRUE(log);
  ASSERT_EQ(log->status, 200);
  auto logs = admin_get(client_, key, "/api/admin/devices/a-dev/logs");
  ASSERT_EQ(logs.at("logs").as_array().size(), 1u);
  EXPECT_EQ(logs.at("logs").as_array()[0].at("status"), "downloading");

  auto put_device = client_.Put("/api/admin/devices/a-dev/config", bearer(key), R"({"x":1})", "application/json");
  ASSERT_TRUE(put_device);
  EXPECT_EQ(put_device->status, 200) << put_device->body;
  EXPECT_EQ(admin_get(client_, key, "/api/admin/devices/a-dev/config").at("config"), json_of(R"({"x":1})"));
  auto put_project = client_.Put("/api/admin/config", bearer(key), R"({"y":2})", "application/json");
  ASSERT_TRUE(put_project);
  EXPECT_EQ(put_project->status, 200) << put_project->body;
  auto project_config = admin_get(client_, key, "/api/admin/config");
  EXPECT_EQ(project_config.at("config"), json_of(R"({"y":2})"));
  EXPECT_TRUE(project_config.at("updated_at").is_string());
}

TEST_F(AdminApi, ProjectsAreIsolated) {
  const std::string key_b = make_project_b();
  ASSERT_TRUE(key_b.starts_with("pk_live_"));
  ASSERT_EQ(register_device(client_, "b-dev", kSecret, key_b), 200);
  const std::string a_key_id = admin_key_id();
  ASSERT_FALSE(a_key_id.empty());

  const std::string dev = "/api/admin/devices/a-dev";
  const auto b = bearer(key_b);
  EXPECT_TRUE(is_error(client_.Get(dev, b), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Post(dev + "/block", b, "", "application/json"), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Post(dev + "/unblock", b, "", "application/json"), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Put(dev + "/channel", b, R"({"channel":"dev"})", "application/json"), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Get(dev + "/logs", b), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Get(dev + "/config", b), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Put(dev + "/config", b, R"({"evil":true})", "application/json"), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Delete("/api/admin/keys/" + a_key_id, b), 404, "NOT_FOUND"));

  // B's lists show only B.
  auto devices = admin_get(client_, key_b, "/api/admin/devices");
  EXPECT_EQ(devices.at("total").to_number<int>(), 1);
  ASSERT_EQ(devices.at("devices").as_array().size(), 1u);
  EXPECT_EQ(devices.at("devices").as_array()[0].at("device_id"), "b-dev");
  auto keys = admin_get(client_, key_b, "/api/admin/keys");
  for (const auto& k : keys.at("keys").as_array()) EXPECT_EQ(k.at("project_id"), "b");
  EXPECT_EQ(admin_get(client_, key_b, "/api/admin/project").at("id"), "b");

  // Nothing of A changed, and A's key still works.
  auto a_dev = admin_get(client_, server_.admin_key(), dev);
  EXPECT_EQ(a_dev.at("blocked"), false);
  EXPECT_EQ(a_dev.at("channel"), "stable");
  EXPECT_EQ(admin_get(client_, server_.admin_key(), dev + "/config").at("config"), json_of("{}"));
  auto check = client_.Get(check_update_path("a-dev", "1.0.0", kSecret));
  ASSERT_TRUE(check);
  EXPECT_EQ(check->status, 200);
  // A cannot reach B either.
  EXPECT_TRUE(is_error(client_.Get("/api/admin/devices/b-dev", bearer(server_.admin_key())), 404, "NOT_FOUND"));
}

TEST_F(AdminApi, ProvisionKeysAndMissingKeysAreRefusedEverywhere) {
  auto prov = server_.cli({"keys", "create", "--role", "provision"});
  ASSERT_EQ(prov.exit_code, 0) << prov.out;
  const std::string prov_key = last_line(prov.out);
  const std::string key_id = admin_key_id();
  const auto routes = admin_routes("a-dev", key_id);

  for (const auto& route : routes) {
    SCOPED_TRACE(route.method + " " + route.path);
    EXPECT_TRUE(is_error(call(client_, route, bearer(prov_key)), 403, "FORBIDDEN"));
    EXPECT_TRUE(is_error(call(client_, route, {}), 401, "UNAUTHORIZED"));
    EXPECT_TRUE(is_error(call(client_, route, bearer("pk_live_unknownkey0000000000")), 401, "UNAUTHORIZED"));
    EXPECT_TRUE(is_error(call(client_, route, {{"Authorization", "Bearer"}}), 401, "UNAUTHORIZED"));
    EXPECT_TRUE(
        is_error(call(client_, route, {{"Authorization", "Token " + server_.admin_key()}}), 401, "UNAUTHORIZED"));
  }
  // None of those refused calls changed anything: the admin key still works, the device is as it was.
  auto dev = admin_get(client_, server_.admin_key(), "/api/admin/devices/a-dev");
  EXPECT_EQ(dev.at("blocked"), false);
  EXPECT_EQ(dev.at("channel"), "stable");
  EXPECT_EQ(admin_get(client_, server_.admin_key(), "/api/admin/keys").at("keys").as_array().size(), 2u);
}

TEST_F(AdminApi, UnknownRoutesAndWrongMethods) {
  for (const char* path : {"/api/nothing", "/nothing", "/api/admin", "/api/admin/devices/a-dev/extra/deep"}) {
    auto res = client_.Get(path, bearer(server_.admin_key()));
    EXPECT_TRUE(is_error(res, 404, "NOT_FOUND")) << path;
    if (res) {
      EXPECT_NE(res->get_header_value("Content-Type").find("application/json"), std::string::npos) << path;
    }
  }
  struct Case {
    std::string method, path, allow_contains;
  };
  const std::vector<Case> cases = {
      {"DELETE", "/api/health", "GET"},
      {"POST", "/api/check-update", "GET"},
      {"GET", "/api/register", "POST"},
      {"PUT", "/api/ota-log", "POST"},
      {"POST", "/api/config", "GET"},
      {"DELETE", "/api/admin/keys", "POST"},
      {"POST", "/api/admin/devices/a-dev", "GET"},
      {"GET", "/api/admin/devices/a-dev/block", "POST"},
      {"POST", "/api/admin/config", "PUT"},
      {"PUT", "/api/firmware/fw-1.0.0-stable.bin", "GET"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    auto res = call(client_, {c.method, c.path, "{}"}, bearer(server_.admin_key()));
    EXPECT_TRUE(is_error(res, 405, "METHOD_NOT_ALLOWED"));
    if (res) {
      const std::string allow = res->get_header_value("Allow");
      EXPECT_NE(allow.find(c.allow_contains), std::string::npos) << "Allow: " << allow;
      EXPECT_EQ(allow.find(c.method), std::string::npos) << "Allow: " << allow;
    }
  }
  auto keys = call(client_, {"DELETE", "/api/admin/keys", ""}, bearer(server_.admin_key()));
  ASSERT_TRUE(keys);
  EXPECT_NE(keys->get_header_value("Allow").find("GET"), std::string::npos);
}

TEST_F(AdminApi, SecretsNeverReachTheLog) {
  // An admin key that the server never printed (unlike the first-start key).
  auto cli_key = server_.cli({"keys", "create", "--role", "admin"});
  ASSERT_EQ(cli_key.exit_code, 0);
  const std::string second_admin = last_line(cli_key.out);
  const std::string wrong_secret = "wrong-secret-ABCDEFGHIJ";
  const std::string q = std::string("device_id=a-dev&device_secret=") + kSecret;

  client_.Get("/api/check-update?version=1.0.0&" + q);
  client_.Get("/api/check-update?version=1.0.0&device_id=a-dev&device_secret=" + wrong_secret);
  client_.Get("/api/config?" + q);
  client_.Get("/api/check-update?version=1.0.0", {{"X-Device-Id", "a-dev"}, {"X-Device-Secret", kSecret}});
  client_.Post("/api/ota-log?" + q + "&status=pending", "", "application/json");
  client_.Post("/api/ota-log",
               std::string(R"({"device_id":"a-dev","device_secret":")") + kSecret + R"(","status":"checking"})",
               "application/json");
  register_device(client_, "a-dev", kSecret, second_admin);
  register_device(client_, "x-dev", wrong_secret, "pk_live_" + std::string(24, 'z'));
  client_.Get("/api/admin/devices", bearer(second_admin));
  client_.Get("/api/admin/devices", bearer(server_.admin_key()));
  client_.Get("/api/nothing?device_secret=" + std::string(kSecret) + "&key=" + second_admin);
  auto created = client_.Post("/api/admin/keys", bearer(second_admin), R"({"role":"provision"})", "application/json");
  ASSERT_TRUE(created);
  const std::string new_key(json_of(created->body).at("key").as_string());
  register_device(client_, "y-dev", kSecret, new_key);
  EspImageSpec spec;
  auto up = upload_firmware(client_, second_admin, build_esp_app_image(spec), "1.1.0");
  ASSERT_TRUE(up);
  auto check = client_.Get("/api/check-update?version=1.0.0&" + q);
  ASSERT_TRUE(check);
  std::string url(json_of(check->body).at("url").as_string());
  std::string sig = url.substr(url.find("sig=") + 4);
  client_.Get(url.substr(server_.base_url().size()));
  client_.Get("/api/firmware/fw-1.1.0-stable.bin?" + q);
  client_.Put("/api/admin/devices/a-dev/config", bearer(second_admin), R"({"a":1})", "application/json");

  ASSERT_EQ(server_.stop(), 0);  // the access log is buffered; on exit every line is written
  const std::string log = server_.log();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(count_of(log, kSecret), 0u) << "device secret in server.log";
  EXPECT_EQ(count_of(log, wrong_secret), 0u) << "a wrong device secret in server.log";
  EXPECT_EQ(count_of(log, second_admin), 0u) << "admin key in server.log";
  EXPECT_EQ(count_of(log, second_admin.substr(8)), 0u) << "admin key body in server.log";
  EXPECT_EQ(count_of(log, new_key.substr(8)), 0u) << "created provision key in server.log";
  EXPECT_EQ(count_of(log, sig), 0u) << "download signature in server.log";
  // The first-start key is printed exactly once, at first start, and never again.
  EXPECT_EQ(count_of(log, server_.admin_key()), 1u);
}

}  // namespace
}  // namespace apiota::testing
