// GET /api/check-update against the real binary: every error row (missing
// parameters, bad version, unknown device, wrong secret, blocked device via the
// admin API and the CLI), credentials in headers, semantic-version ordering,
// channel rules, per-project releases, and the write-behind recording of the
// reported version and last-seen time.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "check-secret-0123456789";

// Check-update answer as a JSON object; FAILs when the status is not 200.
boost::json::object check(httplib::Client& client, const std::string& device_id, const std::string& version) {
  auto res = client.Get(check_update_path(device_id, version, kSecret));
  if (!res) {
    ADD_FAILURE() << "no response";
    return {};
  }
  EXPECT_EQ(res->status, 200) << res->body;
  auto value = json_of(res->body);
  return value.is_object() ? value.as_object() : boost::json::object{};
}

// The version offered to `device_id` reporting `version`, or "none".
std::string offered(httplib::Client& client, const std::string& device_id, const std::string& version) {
  auto answer = check(client, device_id, version);
  if (!answer.contains("update")) return "malformed";
  if (answer.at("update") == false) return "none";
  return std::string(answer.at("version").as_string());
}

void upload(httplib::Client& client, const std::string& key, const std::string& version,
            const std::string& channel = "stable") {
  EspImageSpec spec;
  spec.version = version;
  spec.seed = static_cast<std::uint32_t>(std::hash<std::string>{}(version + channel));
  auto res = upload_firmware(client, key, build_esp_app_image(spec), version, channel);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
}

void set_channel(httplib::Client& client, const std::string& key, const std::string& device_id,
                 const std::string& channel) {
  auto res = client.Put("/api/admin/devices/" + device_id + "/channel", bearer(key),
                        R"({"channel":")" + channel + R"("})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json_of(res->body).at("channel"), channel.c_str());
}

TEST(CheckUpdate, MissingParametersAreRejected) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "dev-1", kSecret, server.admin_key()), 200);

  std::string secret = kSecret;
  EXPECT_TRUE(
      is_error(client.Get("/api/check-update?version=1.0.0&device_secret=" + secret), 400, "MISSING_PARAMETER"));
  EXPECT_TRUE(
      is_error(client.Get("/api/check-update?device_id=dev-1&device_secret=" + secret), 400, "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(client.Get("/api/check-update?device_id=dev-1&version=1.0.0"), 400, "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(client.Get("/api/check-update?device_id=dev-1&version=&device_secret=" + secret), 400,
                       "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(client.Get("/api/check-update"), 400, "MISSING_PARAMETER"));
}

TEST(CheckUpdate, InvalidVersionUnknownDeviceAndWrongSecret) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "dev-1", kSecret, server.admin_key()), 200);

  EXPECT_TRUE(is_error(client.Get(check_update_path("dev-1", "not-a-version", kSecret)), 400, "INVALID_VERSION"));
  EXPECT_TRUE(is_error(client.Get(check_update_path("dev-1", "1.0.0.0", kSecret)), 400, "INVALID_VERSION"));
  EXPECT_TRUE(is_error(client.Get(check_update_path("nobody", "1.0.0", kSecret)), 401, "DEVICE_NOT_FOUND"));
  EXPECT_TRUE(
      is_error(client.Get(check_update_path("dev-1", "1.0.0", "wrong-secret-0123456789")), 401, "INVALID_SECRET"));
  EXPECT_EQ(offered(client, "dev-1", "1.0.0"), "none");
}

TEST(CheckUpdate, CredentialsInHeadersAreAccepted) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "hdr-dev", kSecret, server.admin_key()), 200);
  upload(client, server.admin_key(), "1.2.0");

  httplib::Headers creds = {{"X-Device-Id", "hdr-dev"}, {"X-Device-Secret", kSecret}};
  auto res = client.Get("/api/check-update?version=1.0.0", creds);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json_of(res->body).at("version"), "1.2.0");

  httplib::Headers wrong = {{"X-Device-Id", "hdr-dev"}, {"X-Device-Secret", "wrong-secret-0123456789"}};
  EXPECT_TRUE(is_error(client.Get("/api/check-update?version=1.0.0", wrong), 401, "INVALID_SECRET"));
  httplib::Headers only_id = {{"X-Device-Id", "hdr-dev"}};
  EXPECT_TRUE(is_error(client.Get("/api/check-update?version=1.0.0", only_id), 400, "MISSING_PARAMETER"));
}

TEST(CheckUpdate, BlockedDeviceIsRefusedUntilUnblocked) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "blk-dev", kSecret, server.admin_key()), 200);
  ASSERT_EQ(offered(client, "blk-dev", "1.0.0"), "none");

  // Through the admin API.
  auto block = client.Post("/api/admin/devices/blk-dev/block", bearer(server.admin_key()), "", "application/json");
  ASSERT_TRUE(block);
  ASSERT_EQ(block->status, 200) << block->body;
  EXPECT_EQ(json_of(block->body).at("blocked"), true);
  EXPECT_TRUE(is_error(client.Get(check_update_path("blk-dev", "1.0.0", kSecret)), 403, "DEVICE_BLOCKED"));
  auto unblock = client.Post("/api/admin/devices/blk-dev/unblock", bearer(server.admin_key()), "", "application/json");
  ASSERT_TRUE(unblock);
  ASSERT_EQ(unblock->status, 200) << unblock->body;
  EXPECT_EQ(json_of(unblock->body).at("blocked"), false);
  EXPECT_EQ(offered(client, "blk-dev", "1.0.0"), "none");

  // Through the CLI while the server runs: honoured within a second.
  auto cli_block = server.cli({"devices", "block", "blk-dev"});
  ASSERT_EQ(cli_block.exit_code, 0) << cli_block.out;
  EXPECT_TRUE(eventually(
      [&] {
        auto res = client.Get(check_update_path("blk-dev", "1.0.0", kSecret));
        return res && res->status == 403;
      },
      std::chrono::milliseconds(1500)));
  EXPECT_TRUE(is_error(client.Get(check_update_path("blk-dev", "1.0.0", kSecret)), 403, "DEVICE_BLOCKED"));
  auto cli_unblock = server.cli({"devices", "unblock", "blk-dev"});
  ASSERT_EQ(cli_unblock.exit_code, 0) << cli_unblock.out;
  EXPECT_TRUE(eventually(
      [&] {
        auto res = client.Get(check_update_path("blk-dev", "1.0.0", kSecret));
        return res && res->status == 200;
      },
      std::chrono::milliseconds(1500)));
}

TEST(CheckUpdate, VersionsCompareAsSemver) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "sv-dev", kSecret, server.admin_key()), 200);

  upload(client, server.admin_key(), "1.0.10");
  EXPECT_EQ(offered(client, "sv-dev", "1.0.9"), "1.0.10");   // numeric, not lexical
  EXPECT_EQ(offered(client, "sv-dev", "v1.0.9"), "1.0.10");  // leading v tolerated
  EXPECT_EQ(offered(client, "sv-dev", "1.0.10"), "none");
  EXPECT_EQ(offered(client, "sv-dev", "v1.0.10"), "none");
  EXPECT_EQ(offered(client, "sv-dev", "1.0.11"), "none");
  EXPECT_EQ(offered(client, "sv-dev", "1.0"), "1.0.10");  // missing parts are 0

  upload(client, server.admin_key(), "1.1.0");
  EXPECT_EQ(offered(client, "sv-dev", "1.1.0-beta.1"), "1.1.0");  // pre-release sorts first
  EXPECT_EQ(offered(client, "sv-dev", "1.1.0-rc.2"), "1.1.0");
  EXPECT_EQ(offered(client, "sv-dev", "1.1.0"), "none");

  auto answer = check(client, "sv-dev", "1.0.0");
  EXPECT_EQ(answer.at("update"), true);
  EXPECT_EQ(answer.at("version"), "1.1.0");
  EXPECT_EQ(answer.at("channel"), "stable");
  std::string sha(answer.at("sha256").as_string());
  EXPECT_EQ(sha.size(), 64u);
  EXPECT_EQ(sha.find_first_not_of("0123456789abcdef"), std::string::npos) << sha;
  EXPECT_GT(answer.at("size").to_number<std::int64_t>(), 0);
  std::string url(answer.at("url").as_string());
  EXPECT_TRUE(url.starts_with(server.base_url() + "/api/firmware/fw-1.1.0-stable.bin?")) << url;
}

TEST(CheckUpdate, PrereleaseUploadIsOrderedBeforeItsRelease) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "pre-dev", kSecret, server.admin_key()), 200);
  upload(client, server.admin_key(), "2.0.0-beta.1");
  EXPECT_EQ(offered(client, "pre-dev", "1.9.9"), "2.0.0-beta.1");
  EXPECT_EQ(offered(client, "pre-dev", "2.0.0"), "none");
  EXPECT_EQ(offered(client, "pre-dev", "2.0.0-beta.1"), "none");
  EXPECT_EQ(offered(client, "pre-dev", "2.0.0-alpha"), "2.0.0-beta.1");
}

TEST(CheckUpdate, ChannelRulesDecideWhatADeviceSees) {
  ServerProcess server;
  auto client = server.client();
  const std::string key = server.admin_key();
  for (const char* id : {"st-dev", "be-dev", "dv-dev"}) ASSERT_EQ(register_device(client, id, kSecret, key), 200);
  set_channel(client, key, "be-dev", "beta");
  set_channel(client, key, "dv-dev", "dev");

  upload(client, key, "1.1.0", "stable");
  upload(client, key, "1.2.0-beta.1", "beta");
  upload(client, key, "1.3.0-dev.1", "dev");

  EXPECT_EQ(offered(client, "st-dev", "1.0.0"), "1.1.0");
  EXPECT_EQ(offered(client, "st-dev", "1.1.0"), "none");  // never beta or dev
  EXPECT_EQ(offered(client, "be-dev", "1.0.0"), "1.2.0-beta.1");
  EXPECT_EQ(offered(client, "be-dev", "1.2.0-beta.1"), "none");  // never dev
  EXPECT_EQ(offered(client, "dv-dev", "1.0.0"), "1.3.0-dev.1");
  EXPECT_EQ(check(client, "be-dev", "1.0.0").at("channel"), "beta");
  EXPECT_EQ(check(client, "dv-dev", "1.0.0").at("channel"), "dev");

  // A newer stable release overtakes the beta and dev ones.
  upload(client, key, "2.0.0", "stable");
  EXPECT_EQ(offered(client, "st-dev", "1.1.0"), "2.0.0");
  EXPECT_EQ(offered(client, "be-dev", "1.2.0-beta.1"), "2.0.0");
  EXPECT_EQ(offered(client, "dv-dev", "1.3.0-dev.1"), "2.0.0");
  // A newer beta is seen by beta and dev devices but not by stable ones.
  upload(client, key, "2.1.0-beta.1", "beta");
  EXPECT_EQ(offered(client, "st-dev", "2.0.0"), "none");
  EXPECT_EQ(offered(client, "be-dev", "2.0.0"), "2.1.0-beta.1");
  EXPECT_EQ(offered(client, "dv-dev", "2.0.0"), "2.1.0-beta.1");

  // Moving a device back to stable takes effect at once.
  set_channel(client, key, "be-dev", "stable");
  EXPECT_EQ(offered(client, "be-dev", "2.0.0"), "none");

  auto bad =
      client.Put("/api/admin/devices/dv-dev/channel", bearer(key), R"({"channel":"nightly"})", "application/json");
  EXPECT_TRUE(is_error(bad, 400, "INVALID_CHANNEL"));
}

TEST(CheckUpdate, DevicesOnlySeeTheirProjectsReleases) {
  ServerProcess server;
  auto client = server.client();
  auto created = server.cli({"projects", "create", "b"});
  ASSERT_EQ(created.exit_code, 0) << created.out;
  auto key_b_out = server.cli({"keys", "create", "--role", "admin", "--project", "b"});
  ASSERT_EQ(key_b_out.exit_code, 0) << key_b_out.out;
  const std::string key_b = last_line(key_b_out.out);
  ASSERT_TRUE(key_b.starts_with("pk_live_")) << key_b_out.out;

  ASSERT_EQ(register_device(client, "a-dev", kSecret, server.admin_key()), 200);
  ASSERT_EQ(register_device(client, "b-dev", kSecret, key_b), 200);

  upload(client, server.admin_key(), "9.0.0");
  EXPECT_EQ(offered(client, "b-dev", "1.0.0"), "none");  // project A's firmware is invisible

  upload(client, key_b, "1.5.0");
  auto answer = check(client, "b-dev", "1.0.0");
  EXPECT_EQ(answer.at("version"), "1.5.0");
  std::string url(answer.at("url").as_string());
  EXPECT_TRUE(url.starts_with(server.base_url() + "/api/firmware/b.fw-1.5.0-stable.bin?")) << url;
  EXPECT_EQ(offered(client, "b-dev", "1.5.0"), "none");
  EXPECT_EQ(offered(client, "a-dev", "1.0.0"), "9.0.0");
  EXPECT_EQ(offered(client, "a-dev", "9.0.0"), "none");  // and the other way round
}

TEST(CheckUpdate, RecordsReportedVersionAndLastSeen) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "seen-dev", kSecret, server.admin_key(), "1.0.0"), 200);

  auto get_device = [&]() -> boost::json::object {
    auto res = client.Get("/api/admin/devices/seen-dev", bearer(server.admin_key()));
    if (!res || res->status != 200) return {};
    auto value = json_of(res->body);
    return value.is_object() ? value.as_object() : boost::json::object{};
  };
  auto before = get_device();
  ASSERT_EQ(before.at("firmware_version"), "1.0.0");
  const std::string registered(before.at("registered_at").as_string());

  // Timestamps have whole seconds: wait for the next one so last_seen can move.
  wait_for_next_second();
  ASSERT_EQ(offered(client, "seen-dev", "v1.0.3"), "none");

  boost::json::object after;
  EXPECT_TRUE(eventually(
      [&] {
        after = get_device();
        return after.contains("firmware_version") && after.at("firmware_version") == "1.0.3" &&
               after.at("last_seen_at").is_string() && std::string(after.at("last_seen_at").as_string()) > registered;
      },
      std::chrono::seconds(3)))
      << boost::json::serialize(after);
  EXPECT_EQ(after.at("last_address"), "127.0.0.1");
  std::string seen(after.at("last_seen_at").as_string());
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(seen.back(), 'Z');
}

}  // namespace
}  // namespace apiota::testing
