// Release management against the real binary: pause/resume, staged rollout
// share, revoke with rollback target (and its anti-rollback guard), revoked
// downloads, the audit trail, and the same operations from the CLI while the
// server runs.

#include <gtest/gtest.h>

#include <filesystem>

#include "support/esp_image_builder.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "release-secret-0123456";

class Releases : public ::testing::Test {
 protected:
  Releases() : client_(server_.client()) {}

  std::int64_t upload(const std::string& version, std::uint32_t secure_version = 0) {
    EspImageSpec spec;
    spec.version = version;
    spec.secure_version = secure_version;
    spec.payload_bytes = 2048;
    auto res = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), version);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res ? json_of(res->body).at("id").to_number<std::int64_t>() : 0;
  }

  void add_device(const std::string& id) { ASSERT_EQ(register_device(client_, id, kSecret, server_.admin_key()), 200); }

  boost::json::object check(const std::string& id, const std::string& version) {
    auto res = client_.Get(check_update_path(id, version, kSecret));
    EXPECT_TRUE(res && res->status == 200);
    return res ? json_of(res->body).as_object() : boost::json::object{};
  }

  httplib::Result post(const std::string& path, const std::string& body = "") {
    return client_.Post(path, bearer(server_.admin_key()), body, "application/json");
  }

  httplib::Result patch(const std::string& path, const std::string& body) {
    return client_.Patch(path, bearer(server_.admin_key()), body, "application/json");
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(Releases, PausedReleasesAreNotOfferedUntilResumed) {
  add_device("dev-1");
  std::int64_t id = upload("1.1.0");
  EXPECT_EQ(check("dev-1", "1.0.0").at("version"), "1.1.0");
  auto paused = post("/api/admin/releases/" + std::to_string(id) + "/pause", R"({"reason":"investigating"})");
  ASSERT_TRUE(paused);
  ASSERT_EQ(paused->status, 200) << paused->body;
  EXPECT_EQ(json_of(paused->body).at("state"), "paused");
  EXPECT_EQ(json_of(paused->body).at("state_reason"), "investigating");
  EXPECT_EQ(check("dev-1", "1.0.0").at("update"), false);
  ASSERT_EQ(status_of(post("/api/admin/releases/" + std::to_string(id) + "/resume")), 200);
  EXPECT_EQ(check("dev-1", "1.0.0").at("version"), "1.1.0");
}

TEST_F(Releases, RolloutShareOffersTheReleaseToThatShareOfDevices) {
  constexpr int kDevices = 200;
  for (int i = 0; i < kDevices; ++i) add_device("fleet-" + std::to_string(i));
  std::int64_t id = upload("2.0.0");
  auto set = patch("/api/admin/releases/" + std::to_string(id), R"({"rollout_percent":25})");
  ASSERT_TRUE(set);
  ASSERT_EQ(set->status, 200) << set->body;
  std::vector<bool> offered(kDevices);
  int count = 0;
  for (int i = 0; i < kDevices; ++i) {
    offered[i] = check("fleet-" + std::to_string(i), "1.0.0").at("update") == true;
    count += offered[i];
  }
  // 25% of 200 is 50; a uniform hash stays well inside 30..70 (p < 1e-3).
  EXPECT_GT(count, 30);
  EXPECT_LT(count, 70);
  // Raising the share keeps every device that was already in.
  ASSERT_EQ(status_of(patch("/api/admin/releases/" + std::to_string(id), R"({"rollout_percent":60})")), 200);
  int raised = 0;
  for (int i = 0; i < kDevices; ++i) {
    bool now = check("fleet-" + std::to_string(i), "1.0.0").at("update") == true;
    if (offered[i]) {
      EXPECT_TRUE(now) << "fleet-" << i << " dropped out when the share grew";
    }
    raised += now;
  }
  EXPECT_GT(raised, count);
}

TEST_F(Releases, TagsAndDeviceListsChooseWhoIsOffered) {
  for (const char* id : {"canary-1", "canary-2", "plain-1", "listed-1"}) add_device(id);
  auto admin = bearer(server_.admin_key());
  auto tagged = client_.Put("/api/admin/devices/canary-1/tags", admin, R"({"tags":["canary","lab"]})",
                            "application/json");
  ASSERT_EQ(status_of(tagged), 200) << tagged->body;
  EXPECT_EQ(json_of(tagged->body).at("tags"), json_of(R"(["canary","lab"])"));
  ASSERT_EQ(server_.cli({"devices", "tags", "canary-2", "canary"}).exit_code, 0);
  EXPECT_TRUE(is_error(client_.Put("/api/admin/devices/plain-1/tags", admin, R"({"tags":["Bad Tag"]})",
                                   "application/json"),
                       400, "INVALID_PARAMETER"));
  EXPECT_EQ(admin_get(server_, "/api/admin/devices/canary-2").at("tags"), json_of(R"(["canary"])"));

  std::int64_t id = upload("5.0.0");
  std::string path = "/api/admin/releases/" + std::to_string(id);
  auto set = patch(path, R"({"rollout_tags":["canary"],"rollout_devices":["listed-1"]})");
  ASSERT_EQ(status_of(set), 200) << set->body;
  EXPECT_EQ(json_of(set->body).at("rollout_tags"), json_of(R"(["canary"])"));
  EXPECT_EQ(check("canary-1", "1.0.0").at("update"), true);
  EXPECT_EQ(check("canary-2", "1.0.0").at("update"), true);
  EXPECT_EQ(check("listed-1", "1.0.0").at("update"), true);
  EXPECT_EQ(check("plain-1", "1.0.0").at("update"), false);

  // A listed device is offered even at 0%; tagged ones follow the share.
  auto cli = server_.cli({"releases", "rollout", std::to_string(id), "--percent", "0"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  EXPECT_EQ(check("listed-1", "1.0.0").at("update"), true);
  EXPECT_EQ(check("canary-1", "1.0.0").at("update"), false);

  ASSERT_EQ(status_of(patch(path, R"({"rollout_tags":[],"rollout_devices":[],"rollout_percent":100})")), 200);
  EXPECT_EQ(check("plain-1", "1.0.0").at("update"), true);
  EXPECT_TRUE(is_error(patch(path, R"({"rollout_tags":["a,b"]})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(path, R"({"rollout_devices":"listed-1"})"), 400, "INVALID_PARAMETER"));
}

TEST_F(Releases, PinsHoldDevicesAtAVersionDevicePinFirst) {
  for (const char* id : {"held", "tagged", "free"}) add_device(id);
  ASSERT_EQ(server_.cli({"devices", "tags", "tagged", "lab"}).exit_code, 0);
  ASSERT_EQ(server_.cli({"devices", "tags", "held", "lab"}).exit_code, 0);
  upload("1.0.0");
  upload("2.0.0");
  auto admin = bearer(server_.admin_key());
  auto pinned = client_.Put("/api/admin/pins", admin, R"({"tag":"lab","version":"1.0.0"})", "application/json");
  ASSERT_EQ(status_of(pinned), 200) << pinned->body;
  auto cli = server_.cli({"pins", "set", "--device", "held", "2.0.0"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out;

  // The tag pin holds "tagged" at 1.0.0: from 2.0.0 that is a rollback.
  auto tagged = check("tagged", "2.0.0");
  EXPECT_EQ(tagged.at("version"), "1.0.0");
  EXPECT_EQ(tagged.at("rollback"), true);
  EXPECT_EQ(check("tagged", "1.0.0").at("update"), false);
  // The device pin beats the tag pin.
  EXPECT_EQ(check("held", "1.0.0").at("version"), "2.0.0");
  EXPECT_EQ(check("held", "2.0.0").at("update"), false);
  EXPECT_EQ(check("free", "1.0.0").at("version"), "2.0.0");

  EXPECT_EQ(admin_get(server_, "/api/admin/pins").at("pins").as_array().size(), 2u);
  EXPECT_TRUE(is_error(client_.Put("/api/admin/pins", admin, R"({"tag":"lab","version":"one"})", "application/json"),
                       400, "INVALID_VERSION"));
  EXPECT_TRUE(is_error(client_.Put("/api/admin/pins", admin, R"({"device_id":"nobody","version":"1.0.0"})",
                                   "application/json"),
                       404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Put("/api/admin/pins", admin, R"({"version":"1.0.0"})", "application/json"), 400,
                       "MISSING_PARAMETER"));
  ASSERT_EQ(status_of(client_.Delete("/api/admin/pins?tag=lab", admin)), 200);
  EXPECT_EQ(check("tagged", "1.0.0").at("version"), "2.0.0");
  EXPECT_TRUE(is_error(client_.Delete("/api/admin/pins?tag=lab", admin), 404, "NOT_FOUND"));
  auto audit = admin_get(server_, "/api/admin/audit").at("audit").as_array();
  EXPECT_EQ(audit[0].at("action"), "pin.clear");
  EXPECT_EQ(audit[1].at("action"), "pin.set");
  EXPECT_TRUE(audit[1].at("actor").as_string().starts_with("cli:"));
}

TEST_F(Releases, RevokeSendsDevicesBackToThePreviousRelease) {
  add_device("dev-1");
  add_device("dev-2");
  std::int64_t old_id = upload("1.0.0");
  std::int64_t bad_id = upload("1.1.0");
  auto revoked = post("/api/admin/releases/" + std::to_string(bad_id) + "/revoke", R"({"reason":"boot loop"})");
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(json_of(revoked->body).at("rollback_target_id").to_number<std::int64_t>(), old_id);

  auto on_bad = check("dev-1", "1.1.0");
  EXPECT_EQ(on_bad.at("update"), true);
  EXPECT_EQ(on_bad.at("version"), "1.0.0");
  EXPECT_EQ(on_bad.at("rollback"), true);
  // A device that never installed it is not offered the revoked release.
  EXPECT_EQ(check("dev-2", "1.0.0").at("update"), false);
  // Its download URL stops working for devices.
  auto url = std::string("/api/firmware/fw-1.1.0-stable.bin?device_id=dev-2&device_secret=") + kSecret;
  EXPECT_TRUE(is_error(client_.Get(url), 403, "FORBIDDEN"));
}

TEST_F(Releases, RollbackTargetBelowTheSecureVersionIsRefused) {
  std::int64_t old_id = upload("1.0.0", 1);
  std::int64_t new_id = upload("2.0.0", 2);
  auto res = patch("/api/admin/releases/" + std::to_string(new_id),
                   R"({"rollback_target_id":)" + std::to_string(old_id) + "}");
  EXPECT_TRUE(is_error(res, 400, "INVALID_PARAMETER"));
  auto revoked = post("/api/admin/releases/" + std::to_string(new_id) + "/revoke");
  ASSERT_EQ(status_of(revoked), 200);
  EXPECT_TRUE(json_of(revoked->body).at("rollback_target_id").is_null());
}

TEST_F(Releases, PromoteOffersTheSameFirmwareOnAnotherChannel) {
  add_device("stable-dev");
  EspImageSpec spec;
  spec.version = "4.0.0";
  spec.payload_bytes = 4096;
  auto image = build_esp_app_image(spec);
  auto up = upload_firmware(client_, server_.admin_key(), image, "4.0.0", "beta");
  ASSERT_EQ(status_of(up), 200);
  std::string beta_id = std::to_string(json_of(up->body).at("id").to_number<std::int64_t>());
  EXPECT_EQ(check("stable-dev", "1.0.0").at("update"), false);
  ASSERT_EQ(status_of(patch("/api/admin/releases/" + beta_id,
                            R"({"notes":"beta soak passed","rollout_percent":20,"safety":{"window":40}})")),
            200);

  auto promoted = post("/api/admin/releases/" + beta_id + "/promote", R"({"channel":"stable"})");
  ASSERT_EQ(status_of(promoted), 201) << promoted->body;
  auto release = json_of(promoted->body);
  EXPECT_EQ(release.at("channel"), "stable");
  EXPECT_EQ(release.at("filename"), "fw-4.0.0-stable.bin");
  EXPECT_EQ(release.at("sha256"), json_of(up->body).at("sha256"));
  // Notes and safety settings travel; the rollout starts over at 100%.
  EXPECT_EQ(release.at("notes"), "beta soak passed");
  EXPECT_EQ(release.at("safety").at("window"), 40);
  EXPECT_EQ(release.at("rollout_percent").to_number<double>(), 100.0);
  EXPECT_EQ(admin_get(server_, "/api/admin/releases/" + std::to_string(release.at("id").to_number<std::int64_t>()))
                .at("notes"),
            "beta soak passed");
  auto offer = check("stable-dev", "1.0.0");
  ASSERT_EQ(offer.at("update"), true);
  EXPECT_EQ(offer.at("channel"), "stable");
  std::string url(offer.at("url").as_string());
  auto body = client_.Get(url.substr(server_.base_url().size()));
  ASSERT_EQ(status_of(body), 200);
  EXPECT_EQ(body->body, as_string(image));

  EXPECT_TRUE(is_error(post("/api/admin/releases/" + beta_id + "/promote", R"({"channel":"stable"})"), 409,
                       "VERSION_EXISTS"));
  EXPECT_TRUE(is_error(post("/api/admin/releases/" + beta_id + "/promote", R"({"channel":"gold"})"), 400,
                       "INVALID_CHANNEL"));
  auto cli = server_.cli({"releases", "promote", beta_id, "dev"});
  EXPECT_EQ(cli.exit_code, 0) << cli.out;
  EXPECT_EQ(admin_get(server_, "/api/admin/releases").at("releases").as_array().size(), 3u);
}

TEST_F(Releases, OnlyReleasesNobodyNeedsCanBeDeleted) {
  add_device("dev-1");
  std::int64_t old_id = upload("1.0.0");
  std::int64_t new_id = upload("1.1.0");
  // dev-1 reports running 1.1.0.
  std::string done = std::string(R"({"device_id":"dev-1","device_secret":")") + kSecret +
                     R"(","status":"done","to_version":"1.1.0"})";
  ASSERT_EQ(status_of(client_.Post("/api/ota-log", done, "application/json")), 200);
  auto admin = bearer(server_.admin_key());
  EXPECT_TRUE(is_error(client_.Delete("/api/admin/releases/" + std::to_string(new_id), admin), 409, "RELEASE_IN_USE"));
  ASSERT_EQ(status_of(patch("/api/admin/releases/" + std::to_string(new_id),
                            R"({"rollback_target_id":)" + std::to_string(old_id) + "}")),
            200);
  EXPECT_TRUE(is_error(client_.Delete("/api/admin/releases/" + std::to_string(old_id), admin), 409, "RELEASE_IN_USE"));

  std::int64_t unused = upload("0.9.0");
  auto blob_count = [&] {
    return std::distance(std::filesystem::directory_iterator(server_.data_dir() / "firmware"),
                         std::filesystem::directory_iterator{});
  };
  auto files_before = blob_count();
  ASSERT_EQ(status_of(client_.Delete("/api/admin/releases/" + std::to_string(unused), admin)), 200);
  EXPECT_EQ(blob_count(), files_before - 1);
  EXPECT_TRUE(is_error(client_.Get("/api/admin/releases/" + std::to_string(unused), admin), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Delete("/api/admin/releases/" + std::to_string(unused), admin), 404, "NOT_FOUND"));
  EXPECT_EQ(admin_get(server_, "/api/admin/audit").at("audit").at(0).at("action"), "release.delete");
  auto cli = server_.cli({"releases", "delete", std::to_string(new_id)});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.out.find("revoke it instead"), std::string::npos) << cli.out;
}

TEST_F(Releases, ChangelogListsReleasesWithHistoryCountsAndRollbackCommand) {
  add_device("dev-1");
  add_device("dev-2");
  std::int64_t old_id = upload("1.0.0");
  std::int64_t new_id = upload("1.1.0");
  ASSERT_EQ(status_of(patch("/api/admin/releases/" + std::to_string(new_id), R"({"notes":"Fixes **Wi-Fi** reconnect"})")),
            200);
  auto report = [&](const std::string& device, const std::string& status) {
    std::string body = R"({"device_id":")" + device + R"(","device_secret":")" + kSecret + R"(","status":")" + status +
                       R"(","from_version":"1.0.0","to_version":"1.1.0"})";
    ASSERT_EQ(status_of(client_.Post("/api/ota-log", body, "application/json")), 200);
  };
  report("dev-1", "done");
  report("dev-2", "failed");
  ASSERT_EQ(status_of(post("/api/admin/releases/" + std::to_string(new_id) + "/revoke", R"({"reason":"crash loop"})")),
            200);

  auto log = admin_get(server_, "/api/admin/changelog");
  auto releases = log.at("releases").as_array();
  ASSERT_EQ(releases.size(), 2u);
  const auto& newest = releases[0].as_object();
  EXPECT_EQ(newest.at("version"), "1.1.0");
  EXPECT_EQ(newest.at("notes"), "Fixes **Wi-Fi** reconnect");
  EXPECT_EQ(newest.at("state"), "revoked");
  EXPECT_EQ(newest.at("installs"), 1);
  EXPECT_EQ(newest.at("failures"), 1);
  EXPECT_EQ(newest.at("rollback").at("target_id"), old_id);
  EXPECT_EQ(newest.at("rollback").at("api").as_string(), "POST /api/admin/releases/" + std::to_string(new_id) + "/revoke");
  auto history = newest.at("history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].at("action"), "release.revoke");
  EXPECT_EQ(history[0].at("state_reason"), "crash loop");
  EXPECT_EQ(history[2].at("action"), "release.upload");
  EXPECT_EQ(releases[1].at("installs"), 0);

  auto md = client_.Get("/api/admin/changelog?format=markdown", bearer(server_.admin_key()));
  ASSERT_EQ(status_of(md), 200);
  EXPECT_EQ(md->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_NE(md->body.find("## 1.1.0 (stable)"), std::string::npos) << md->body;
  EXPECT_NE(md->body.find("Fixes **Wi-Fi** reconnect"), std::string::npos);
  EXPECT_NE(md->body.find("release.revoke by key_"), std::string::npos);
  EXPECT_NE(md->body.find("apiota releases revoke " + std::to_string(new_id)), std::string::npos);
  EXPECT_TRUE(is_error(client_.Get("/api/admin/changelog?format=pdf", bearer(server_.admin_key())), 400,
                       "INVALID_PARAMETER"));
  auto cli = server_.cli({"changelog", "--markdown"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  EXPECT_EQ(cli.out, md->body);
}

TEST_F(Releases, BadEditsAreRefused) {
  std::int64_t id = upload("1.0.0");
  std::string path = "/api/admin/releases/" + std::to_string(id);
  EXPECT_TRUE(is_error(patch(path, R"({"rollout_percent":101})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(path, R"({"rollout_percent":"ten"})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(path, R"({})"), 400, "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(patch(path, R"({"rollback_target_id":999})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch("/api/admin/releases/999", R"({"notes":"x"})"), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(patch("/api/admin/releases/abc", R"({"notes":"x"})"), 404, "NOT_FOUND"));
}

TEST_F(Releases, EveryChangeIsAuditedWithActorAndBeforeAfter) {
  std::int64_t id = upload("1.0.0");
  ASSERT_EQ(status_of(patch("/api/admin/releases/" + std::to_string(id), R"({"notes":"first build"})")), 200);
  ASSERT_EQ(status_of(post("/api/admin/releases/" + std::to_string(id) + "/pause")), 200);
  auto audit = admin_get(server_, "/api/admin/audit").at("audit").as_array();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[2].at("action"), "release.upload");
  EXPECT_TRUE(audit[2].at("before").is_null());
  EXPECT_EQ(audit[2].at("after").at("version"), "1.0.0");
  EXPECT_EQ(audit[0].at("action"), "release.pause");
  EXPECT_EQ(audit[0].at("before").at("state"), "active");
  EXPECT_EQ(audit[0].at("after").at("state"), "paused");
  EXPECT_TRUE(audit[0].at("actor").as_string().starts_with("key_"));
  EXPECT_EQ(audit[1].at("action"), "release.edit");
  EXPECT_EQ(audit[1].at("after").at("notes"), "first build");
}

TEST_F(Releases, DeviceKeyConfigAndPlanChangesAreAuditedToo) {
  add_device("dev-1");
  auto admin = bearer(server_.admin_key());
  ASSERT_EQ(status_of(post("/api/admin/devices/dev-1/block")), 200);
  ASSERT_EQ(status_of(client_.Put("/api/admin/devices/dev-1/channel", admin, R"({"channel":"beta"})",
                                  "application/json")),
            200);
  ASSERT_EQ(status_of(client_.Put("/api/admin/config", admin, R"({"interval":5})", "application/json")), 200);
  auto created = post("/api/admin/keys", R"({"role":"provision"})");
  ASSERT_EQ(status_of(created), 201);
  std::string key_id(json_of(created->body).at("id").as_string());
  std::string plaintext(json_of(created->body).at("key").as_string());
  ASSERT_EQ(status_of(client_.Delete("/api/admin/keys/" + key_id, admin)), 200);
  ASSERT_EQ(server_.cli({"devices", "unblock", "dev-1"}).exit_code, 0);
  ASSERT_EQ(server_.cli({"config", "set", "--device", "dev-1", R"({"interval":9})"}).exit_code, 0);
  ASSERT_EQ(server_.cli({"projects", "plan", "default", "--max-devices", "500"}).exit_code, 0);

  auto audit = admin_get(server_, "/api/admin/audit").at("audit").as_array();
  std::vector<std::string> actions;
  for (const auto& entry : audit) actions.emplace_back(entry.at("action").as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"project.plan", "config.device", "device.unblock", "key.revoke",
                                               "key.create", "config.project", "device.channel", "device.block"}));
  EXPECT_EQ(audit[0].at("after").at("plan").at("max_devices"), 500);
  EXPECT_EQ(audit[1].at("after").at("interval"), 9);
  EXPECT_TRUE(audit[2].at("actor").as_string().starts_with("cli:"));
  EXPECT_TRUE(audit[3].at("before").at("revoked_at").is_null());
  EXPECT_FALSE(audit[3].at("after").at("revoked_at").is_null());
  EXPECT_TRUE(audit[4].at("before").is_null());
  EXPECT_EQ(audit[6].at("before").at("channel"), "stable");
  EXPECT_EQ(audit[6].at("after").at("channel"), "beta");
  EXPECT_EQ(audit[7].at("after").at("blocked"), true);
  // Keys are never in the audit log, only their ids and hints.
  for (const auto& entry : audit) {
    std::string text = boost::json::serialize(entry);
    EXPECT_EQ(text.find(plaintext), std::string::npos);
    EXPECT_EQ(text.find(server_.admin_key()), std::string::npos);
  }
}

TEST_F(Releases, CliChangesApplyToTheRunningServer) {
  add_device("dev-1");
  std::int64_t id = upload("3.0.0");
  auto paused = server_.cli({"releases", "pause", std::to_string(id), "--reason", "from cli"});
  ASSERT_EQ(paused.exit_code, 0) << paused.out;
  EXPECT_EQ(check("dev-1", "1.0.0").at("update"), false);
  auto resumed = server_.cli({"releases", "resume", std::to_string(id)});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_EQ(check("dev-1", "1.0.0").at("version"), "3.0.0");
  auto bad = server_.cli({"releases", "rollout", std::to_string(id), "--percent", "150"});
  EXPECT_NE(bad.exit_code, 0);
  auto audit = admin_get(server_, "/api/admin/audit").at("audit").as_array();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_TRUE(audit[0].at("actor").as_string().starts_with("cli:"));
  EXPECT_TRUE(audit[1].at("actor").as_string().starts_with("cli:"));
  EXPECT_EQ(audit[2].at("action"), "release.upload");
}

TEST_F(Releases, RaisingSecureVersionIsWarnedAbout) {
  auto first = upload_firmware(client_, server_.admin_key(), firmware_image("1.0.0", 2048), "1.0.0");
  ASSERT_EQ(status_of(first), 200);
  EXPECT_TRUE(json_of(first->body).at("warnings").as_array().empty());
  EspImageSpec spec;
  spec.version = "2.0.0";
  spec.secure_version = 3;
  auto raised = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), "2.0.0");
  ASSERT_EQ(status_of(raised), 200);
  auto warnings = json_of(raised->body).at("warnings").as_array();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(std::string(warnings[0].as_string()).find("from 0 to 3"), std::string::npos) << warnings[0];
  auto audit = admin_get(server_, "/api/admin/audit").at("audit").as_array();
  EXPECT_EQ(audit[0].at("after").at("warnings"), warnings);
  spec.version = "2.1.0";
  auto same = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), "2.1.0");
  EXPECT_TRUE(json_of(same->body).at("warnings").as_array().empty());
}

}  // namespace
}  // namespace apiota::testing
