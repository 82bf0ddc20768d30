// POST /api/register against the real binary: the success shape, idempotent
// re-registration, DEVICE_EXISTS, bad / revoked keys, parameter validation
// (missing fields, short secrets, bad ids, non-JSON bodies), provisioning keys
// placing devices in their project, and the plan's device limit changed by
// the CLI while the server runs.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <string>
#include <vector>

#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "register-secret-0123";

httplib::Result post_register(httplib::Client& client, const boost::json::object& body) {
  return client.Post("/api/register", boost::json::serialize(body), "application/json");
}

boost::json::object registration(const std::string& id, const std::string& secret, const std::string& key) {
  return {{"device_id", id}, {"device_secret", secret}, {"pk_key", key}, {"firmware_ver", "1.0.0"}};
}

// The key id ("key_...") in `keys create` output.
std::string key_id_in(const std::string& text) {
  std::smatch m;
  static const std::regex kId("(key_[A-Za-z0-9_-]+)");
  return std::regex_search(text, m, kId) ? std::string(m[1]) : std::string();
}

TEST(Register, SuccessShapeAndIdempotentReregistration) {
  ServerProcess server;
  auto client = server.client();
  std::time_t before = std::time(nullptr);
  auto res = post_register(client, registration("esp32-AA:BB:CC:DD:EE:FF", kSecret, server.admin_key()));
  std::time_t after = std::time(nullptr);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->get_header_value("Content-Type").find("application/json"), std::string::npos);
  auto body = json_of(res->body).as_object();
  EXPECT_EQ(body.at("success"), true);
  EXPECT_EQ(body.at("device_id"), "esp32-AA:BB:CC:DD:EE:FF");
  const std::string registered_at(body.at("registered_at").as_string());
  EXPECT_TRUE(std::regex_match(registered_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << registered_at;
  std::time_t t = parse_iso8601(registered_at);
  EXPECT_GE(t, before - 1);
  EXPECT_LE(t, after + 1);

  // A device re-running first boot: same id and secret, same answer, later.
  wait_for_next_second();
  auto again = post_register(client, registration("esp32-AA:BB:CC:DD:EE:FF", kSecret, server.admin_key()));
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(json_of(again->body).at("registered_at"), registered_at.c_str());
  EXPECT_EQ(json_of(again->body).at("success"), true);

  // Another secret must not take the id over.
  EXPECT_TRUE(is_error(
      post_register(client, registration("esp32-AA:BB:CC:DD:EE:FF", "another-secret-987654321", server.admin_key())),
      409, "DEVICE_EXISTS"));
  // The original secret still works.
  auto check = client.Get(check_update_path("esp32-AA:BB:CC:DD:EE:FF", "1.0.0", kSecret));
  ASSERT_TRUE(check);
  EXPECT_EQ(check->status, 200) << check->body;
}

TEST(Register, UnknownAndRevokedKeysAreRefused) {
  ServerProcess server;
  auto client = server.client();
  EXPECT_TRUE(is_error(post_register(client, registration("dev-1", kSecret, "pk_live_doesnotexist000000")), 401,
                       "INVALID_PK_KEY"));
  EXPECT_TRUE(is_error(post_register(client, registration("dev-1", kSecret, "not-even-a-key")), 401, "INVALID_PK_KEY"));
  std::string tampered = server.admin_key();
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_TRUE(is_error(post_register(client, registration("dev-1", kSecret, tampered)), 401, "INVALID_PK_KEY"));

  auto created = server.cli({"keys", "create", "--role", "provision"});
  ASSERT_EQ(created.exit_code, 0) << created.out;
  const std::string key = last_line(created.out);
  const std::string key_id = key_id_in(created.out);
  ASSERT_TRUE(key.starts_with("pk_live_")) << created.out;
  ASSERT_FALSE(key_id.empty()) << created.out;
  ASSERT_EQ(status_of(post_register(client, registration("dev-1", kSecret, key))), 200);

  auto revoked = server.cli({"keys", "revoke", key_id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out;
  EXPECT_TRUE(eventually([&] {
    auto res = client.Get("/api/admin/keys", bearer(server.admin_key()));
    if (!res || res->status != 200) return false;
    auto keys = json_of(res->body);
    for (const auto& k : keys.at("keys").as_array()) {
      if (k.at("id") == key_id.c_str()) return k.at("revoked_at").is_string();
    }
    return false;
  }));
  EXPECT_TRUE(is_error(post_register(client, registration("dev-3", kSecret, key)), 401, "INVALID_PK_KEY"));
  // Already registered devices keep working.
  auto check = client.Get(check_update_path("dev-1", "1.0.0", kSecret));
  ASSERT_TRUE(check);
  EXPECT_EQ(check->status, 200) << check->body;
}

TEST(Register, ParametersAreValidated) {
  ServerProcess server;
  auto client = server.client();
  const std::string key = server.admin_key();

  // Missing each required field.
  for (const char* field : {"device_id", "device_secret", "pk_key"}) {
    auto body = registration("dev-m", kSecret, key);
    body.erase(field);
    EXPECT_TRUE(is_error(post_register(client, body), 400, "MISSING_PARAMETER")) << field;
    body = registration("dev-m", kSecret, key);
    body[field] = "";
    EXPECT_TRUE(is_error(post_register(client, body), 400, "MISSING_PARAMETER")) << field << " empty";
  }
  // firmware_ver is optional.
  boost::json::object minimal{{"device_id", "dev-min"}, {"device_secret", kSecret}, {"pk_key", key}};
  auto ok = post_register(client, minimal);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;

  // Secrets: 16..128 printable characters.
  EXPECT_TRUE(is_error(post_register(client, registration("dev-s", "short-secret", key)), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(post_register(client, registration("dev-s", "0123456789abcde", key)), 400,
                       "INVALID_PARAMETER"));  // 15
  EXPECT_TRUE(
      is_error(post_register(client, registration("dev-s", "has a space in it ok", key)), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(
      is_error(post_register(client, registration("dev-s", std::string(129, 'x'), key)), 400, "INVALID_PARAMETER"));
  auto sixteen = post_register(client, registration("dev-s16", "0123456789abcdef", key));
  ASSERT_TRUE(sixteen);
  EXPECT_EQ(sixteen->status, 200) << sixteen->body;

  // Device ids: 1..64 of A-Z a-z 0-9 . _ : -
  for (const std::string& bad :
       std::vector<std::string>{"bad id", "a/b", "dev<1>", "d\xc3\xbc", "../etc", std::string(65, 'a')}) {
    EXPECT_TRUE(is_error(post_register(client, registration(bad, kSecret, key)), 400, "INVALID_PARAMETER")) << bad;
  }
  auto longest = post_register(client, registration(std::string(64, 'a'), kSecret, key));
  ASSERT_TRUE(longest);
  EXPECT_EQ(longest->status, 200) << longest->body;

  // A non-string field is a bad parameter, not a crash.
  auto numeric = registration("dev-n", kSecret, key);
  numeric["device_id"] = 42;
  auto res = post_register(client, numeric);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;

  // Bodies that are not a JSON object.
  EXPECT_TRUE(
      is_error(client.Post("/api/register", "device_id=x&device_secret=y", "application/json"), 400, "INVALID_JSON"));
  EXPECT_TRUE(is_error(client.Post("/api/register", "{\"device_id\":", "application/json"), 400, "INVALID_JSON"));
  EXPECT_TRUE(is_error(client.Post("/api/register", R"(["dev-a","secret-0123456789"])", "application/json"), 400,
                       "INVALID_JSON"));
  EXPECT_TRUE(is_error(client.Post("/api/register", "\"just a string\"", "application/json"), 400, "INVALID_JSON"));
  EXPECT_TRUE(is_error(client.Post("/api/register", "", "application/json"), 400, "INVALID_JSON"));

  // None of the refused requests created a device.
  auto list = client.Get("/api/admin/devices", bearer(key));
  ASSERT_TRUE(list);
  EXPECT_EQ(json_of(list->body).at("total").to_number<int>(), 3) << list->body;
}

TEST(Register, ProvisionKeyJoinsItsProject) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(server.cli({"projects", "create", "b"}).exit_code, 0);
  auto prov = server.cli({"keys", "create", "--role", "provision", "--project", "b"});
  ASSERT_EQ(prov.exit_code, 0) << prov.out;
  auto admin_b = server.cli({"keys", "create", "--role", "admin", "--project", "b"});
  ASSERT_EQ(admin_b.exit_code, 0) << admin_b.out;
  const std::string prov_key = last_line(prov.out);
  const std::string admin_key_b = last_line(admin_b.out);

  auto res = post_register(client, registration("b-dev-1", kSecret, prov_key));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json_of(res->body).at("device_id"), "b-dev-1");

  auto in_b = client.Get("/api/admin/devices/b-dev-1", bearer(admin_key_b));
  ASSERT_TRUE(in_b);
  ASSERT_EQ(in_b->status, 200) << in_b->body;
  EXPECT_EQ(json_of(in_b->body).at("project_id"), "b");
  EXPECT_EQ(json_of(in_b->body).at("firmware_version"), "1.0.0");
  EXPECT_EQ(json_of(in_b->body).at("channel"), "stable");
  EXPECT_EQ(json_of(in_b->body).at("blocked"), false);
  EXPECT_TRUE(is_error(client.Get("/api/admin/devices/b-dev-1", bearer(server.admin_key())), 404, "NOT_FOUND"));

  // The same id and secret through another project's key is not a re-registration.
  EXPECT_TRUE(
      is_error(post_register(client, registration("b-dev-1", kSecret, server.admin_key())), 409, "DEVICE_EXISTS"));
}

TEST(Register, PlanDeviceLimitChangedWhileRunning) {
  ServerProcess server;
  auto client = server.client();
  const std::string key = server.admin_key();
  ASSERT_EQ(status_of(post_register(client, registration("lim-1", kSecret, key))), 200);

  auto plan = server.cli({"projects", "plan", "default", "--max-devices", "2"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out;

  // Honoured within a second (wait until the running server reports the new plan).
  EXPECT_TRUE(eventually([&] {
    auto res = client.Get("/api/admin/project", bearer(key));
    return res && res->status == 200 && json_of(res->body).at("plan").at("max_devices") == 2;
  }));
  ASSERT_EQ(status_of(post_register(client, registration("lim-2", kSecret, key))), 200);
  EXPECT_TRUE(is_error(post_register(client, registration("lim-3", kSecret, key)), 403, "PLAN_LIMIT_EXCEEDED"));
  // Re-registering an existing device at the limit still succeeds.
  auto again = post_register(client, registration("lim-2", kSecret, key));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;

  auto project = client.Get("/api/admin/project", bearer(key));
  ASSERT_TRUE(project);
  EXPECT_EQ(json_of(project->body).at("device_count").to_number<int>(), 2) << project->body;
  EXPECT_EQ(json_of(project->body).at("plan").at("max_devices").to_number<int>(), 2) << project->body;
}

}  // namespace
}  // namespace apiota::testing
