// Rollout safety against the real binary, with simulated devices talking
// HTTP: a 10% rollout reaches about 10% of a fleet, failures pause a rollout
// by themselves, a silent device times out as stuck, a bootloader rollback is
// detected and the release never offered to that device again, a poll on the
// new version completes an update that never reported `done`, and a stage
// schedule advances on successes and on time.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "rollout-secret-0123456";

ServerSetup fast_sweep() {
  ServerSetup setup;
  setup.config_toml = "rollout_sweep_seconds = 1\n";
  return setup;
}

class RolloutSafety : public ::testing::Test {
 protected:
  RolloutSafety() : server_(fast_sweep()), client_(server_.client()) {}

  std::int64_t upload(const std::string& version) {
    EspImageSpec spec;
    spec.version = version;
    spec.payload_bytes = 2048;
    auto res = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), version);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res ? json_of(res->body).at("id").to_number<std::int64_t>() : 0;
  }

  void add_devices(const std::string& prefix, int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(register_device(client_, prefix + std::to_string(i), kSecret, server_.admin_key()), 200);
    }
  }

  boost::json::object check(const std::string& id, const std::string& version) {
    auto res = client_.Get(check_update_path(id, version, kSecret));
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res ? json_of(res->body).as_object() : boost::json::object{};
  }

  bool offered(const std::string& id, const std::string& version, const std::string& wanted) {
    auto answer = check(id, version);
    return answer.at("update") == true && answer.at("version") == wanted.c_str();
  }

  void report(const std::string& device, const std::string& status, const std::string& to = "1.1.0",
              const std::string& from = "1.0.0") {
    std::string body = R"({"device_id":")" + device + R"(","device_secret":")" + kSecret + R"(","status":")" + status +
                       R"(","from_version":")" + from + R"(","to_version":")" + to + R"("})";
    auto res = client_.Post("/api/ota-log", body, "application/json");
    ASSERT_EQ(status_of(res), 200) << (res ? res->body : "no response");
  }

  httplib::Result patch(std::int64_t id, const std::string& body) {
    return client_.Patch("/api/admin/releases/" + std::to_string(id), bearer(server_.admin_key()), body,
                         "application/json");
  }

  boost::json::value release(std::int64_t id) { return admin_get(server_, "/api/admin/releases/" + std::to_string(id)); }

  boost::json::object changelog_entry(std::int64_t id) {
    const auto changelog = admin_get(server_, "/api/admin/changelog");
    for (const auto& r : changelog.at("releases").as_array()) {
      if (r.at("id") == id) return r.as_object();
    }
    ADD_FAILURE() << "release " << id << " is not in the changelog";
    return {};
  }

  std::vector<std::string> log_messages(const std::string& device) {
    std::vector<std::string> out;
    const auto logs = admin_get(server_, "/api/admin/devices/" + device + "/logs");
    for (const auto& l : logs.at("logs").as_array()) {
      if (l.at("message").is_string()) out.emplace_back(l.at("message").as_string());
    }
    return out;
  }

  ServerProcess server_;
  httplib::Client client_;
};

bool contains(const std::vector<std::string>& messages, const std::string& fragment) {
  for (const auto& m : messages) {
    if (m.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST_F(RolloutSafety, TenPercentRolloutReachesAboutTenPercent) {
  constexpr int kDevices = 400;
  add_devices("fleet-", kDevices);
  std::int64_t id = upload("1.1.0");
  ASSERT_EQ(status_of(patch(id, R"({"rollout_percent":10})")), 200);
  int count = 0;
  for (int i = 0; i < kDevices; ++i) count += check("fleet-" + std::to_string(i), "1.0.0").at("update") == true;
  // 10% of 400 is 40 (standard deviation 6); 20..60 is over 3 deviations.
  EXPECT_GT(count, 20);
  EXPECT_LT(count, 60);
  // The same devices are chosen on every poll.
  int again = 0;
  for (int i = 0; i < kDevices; ++i) again += check("fleet-" + std::to_string(i), "1.0.0").at("update") == true;
  EXPECT_EQ(again, count);
}

TEST_F(RolloutSafety, FailuresPauseTheRolloutByItself) {
  add_devices("dev-", 12);
  std::int64_t id = upload("1.1.0");
  auto set = patch(id, R"({"safety":{"max_failure_rate":0.2,"window":10,"min_attempts":5}})");
  ASSERT_EQ(status_of(set), 200) << set->body;
  EXPECT_EQ(json_of(set->body).at("safety").at("window"), 10);

  for (int i = 0; i < 4; ++i) {
    report("dev-" + std::to_string(i), "downloading");
    report("dev-" + std::to_string(i), "done");
  }
  report("dev-4", "downloading");
  report("dev-4", "failed");
  // 1 of 5 failed: 20% is not above the threshold.
  EXPECT_EQ(release(id).at("state"), "active");
  report("dev-5", "failed");
  // 2 of 6: paused, with the verdict recorded.
  auto paused = release(id);
  EXPECT_EQ(paused.at("state"), "paused");
  EXPECT_EQ(paused.at("state_reason"), "paused automatically: 2 of the last 6 attempts failed (33.3% > 20%)");
  EXPECT_EQ(check("dev-9", "1.0.0").at("update"), false);

  auto entry = changelog_entry(id);
  EXPECT_EQ(entry.at("installs"), 4);
  EXPECT_EQ(entry.at("failures"), 2);
  const auto& newest = entry.at("history").as_array().at(0);
  EXPECT_EQ(newest.at("action"), "release.auto_pause");
  EXPECT_EQ(newest.at("actor"), "apiota");

  // Resuming judges the release afresh: one more failure is too few to judge.
  ASSERT_EQ(status_of(client_.Post("/api/admin/releases/" + std::to_string(id) + "/resume", bearer(server_.admin_key()),
                                   "", "application/json")),
            200);
  report("dev-6", "failed");
  EXPECT_EQ(release(id).at("state"), "active");
  EXPECT_TRUE(offered("dev-9", "1.0.0", "1.1.0"));
}

TEST_F(RolloutSafety, UpdatesAreNotStackedAndASilentDeviceTimesOut) {
  add_devices("dev-", 2);
  std::int64_t id = upload("1.1.0");
  ASSERT_EQ(status_of(patch(id, R"({"safety":{"stuck_after_seconds":2}})")), 200);
  report("dev-0", "downloading");
  report("dev-1", "flashing");
  auto device = admin_get(server_, "/api/admin/devices/dev-1");
  EXPECT_EQ(device.at("update_attempt").at("release_id"), id);
  EXPECT_EQ(device.at("update_attempt").at("status"), "flashing");
  // Polling during the update offers the same release again, nothing newer,
  // even once a newer release exists (the device may be retrying a download).
  EXPECT_TRUE(offered("dev-0", "1.0.0", "1.1.0"));
  upload("1.2.0");
  EXPECT_TRUE(offered("dev-0", "1.0.0", "1.1.0"));
  EXPECT_TRUE(offered("dev-1", "1.0.0", "1.1.0"));

  // dev-1 never reports again: the sweep counts it as stuck. dev-0 polls
  // after the timeout and is free to take the newer release.
  EXPECT_TRUE(eventually([&] { return changelog_entry(id).at("stuck") == 2; }, std::chrono::seconds(8)))
      << boost::json::serialize(changelog_entry(id));
  EXPECT_TRUE(offered("dev-0", "1.0.0", "1.2.0"));
  EXPECT_TRUE(contains(log_messages("dev-1"), "no report since 'flashing'"));
  EXPECT_TRUE(admin_get(server_, "/api/admin/devices/dev-1").at("update_attempt").is_null());
  EXPECT_EQ(changelog_entry(id).at("state"), "active");
}

TEST_F(RolloutSafety, RevokingEndsTheAttemptsOnItAndTheirDevicesGetTheRollbackTarget) {
  add_devices("dev-", 2);
  const std::int64_t target = upload("1.0.0");
  const std::int64_t id = upload("1.1.0");
  // dev-0 is downloading 1.1.0 from 0.9.0; dev-1 has flashed it and reboots.
  EXPECT_TRUE(offered("dev-0", "0.9.0", "1.1.0"));
  report("dev-0", "downloading", "1.1.0", "0.9.0");
  report("dev-1", "rebooting", "1.1.0", "1.0.0");
  auto revoked = client_.Post("/api/admin/releases/" + std::to_string(id) + "/revoke", bearer(server_.admin_key()),
                              R"({"reason":"watchdog resets"})", "application/json");
  ASSERT_EQ(status_of(revoked), 200) << revoked->body;
  EXPECT_EQ(json_of(revoked->body).at("rollback_target_id"), target);
  EXPECT_TRUE(admin_get(server_, "/api/admin/devices/dev-0").at("update_attempt").is_null());
  EXPECT_TRUE(admin_get(server_, "/api/admin/devices/dev-1").at("update_attempt").is_null());

  // Their next polls: dev-0 takes the rollback target at once, dev-1 comes
  // up on the revoked release and is sent back to it.
  EXPECT_TRUE(offered("dev-0", "0.9.0", "1.0.0"));
  auto back = check("dev-1", "1.1.0");
  EXPECT_EQ(back.at("version"), "1.0.0");
  EXPECT_EQ(back.at("rollback"), true);

  // Ended by the revocation: neither installs nor failures of the release.
  auto entry = changelog_entry(id);
  EXPECT_EQ(entry.at("ended_by_revocation"), 2) << boost::json::serialize(entry);
  EXPECT_EQ(entry.at("installs"), 0);
  EXPECT_EQ(entry.at("failures"), 0);
  EXPECT_EQ(entry.at("stuck"), 0);
  EXPECT_EQ(entry.at("bootloader_rollbacks"), 0);
  EXPECT_TRUE(log_messages("dev-0").empty());
}

TEST_F(RolloutSafety, BootloaderRollbackIsDetectedAndTheReleaseNeverOfferedAgain) {
  add_devices("dev-", 2);
  std::int64_t id = upload("1.1.0");
  for (const char* status : {"downloading", "flashing", "rebooting"}) report("dev-0", status);
  // The device comes back still running 1.0.0: its bootloader rolled back.
  EXPECT_EQ(check("dev-0", "1.0.0").at("update"), false);
  EXPECT_EQ(check("dev-0", "1.0.0").at("update"), false);
  EXPECT_TRUE(offered("dev-1", "1.0.0", "1.1.0"));

  auto entry = changelog_entry(id);
  EXPECT_EQ(entry.at("bootloader_rollbacks"), 1);
  EXPECT_TRUE(contains(log_messages("dev-0"), "bootloader rollback detected"));
  EXPECT_EQ(admin_get(server_, "/api/admin/devices/dev-0").at("rolled_back_release_ids"),
            boost::json::array{boost::json::value(id)});
  // A newer release is offered; only the rolled-back one is refused.
  upload("1.2.0");
  EXPECT_TRUE(offered("dev-0", "1.0.0", "1.2.0"));
}

TEST_F(RolloutSafety, APollOnTheNewVersionCompletesAnUpdateWithoutDone) {
  add_devices("dev-", 1);
  std::int64_t id = upload("1.1.0");
  report("dev-0", "downloading");
  report("dev-0", "rebooting");
  EXPECT_EQ(check("dev-0", "1.1.0").at("update"), false);
  auto entry = changelog_entry(id);
  EXPECT_EQ(entry.at("installs"), 1);
  EXPECT_EQ(entry.at("bootloader_rollbacks"), 0);
  // The attempt is over: a newer release is offered at once.
  upload("1.2.0");
  EXPECT_TRUE(offered("dev-0", "1.1.0", "1.2.0"));
}

TEST_F(RolloutSafety, StageScheduleAdvancesOnSuccessesAndTime) {
  constexpr int kDevices = 60;
  add_devices("fleet-", kDevices);
  std::int64_t id = upload("1.1.0");
  auto set = patch(id, R"({"stages":[{"percent":10,"min_successes":2},)"
                       R"({"percent":50,"min_duration_seconds":1},{"percent":100}]})");
  ASSERT_EQ(status_of(set), 200) << set->body;
  EXPECT_EQ(json_of(set->body).at("rollout_percent").to_number<double>(), 10.0);
  EXPECT_EQ(json_of(set->body).at("stage"), 1);

  std::vector<std::string> in_first_stage;
  for (int i = 0; i < kDevices; ++i) {
    std::string device = "fleet-" + std::to_string(i);
    if (check(device, "1.0.0").at("update") == true) in_first_stage.push_back(device);
  }
  ASSERT_GE(in_first_stage.size(), 2u) << "10% of 60 devices chose fewer than 2";
  EXPECT_LT(in_first_stage.size(), 20u);

  report(in_first_stage[0], "done");
  EXPECT_EQ(release(id).at("stage"), 1);
  report(in_first_stage[1], "done");
  auto second = release(id);
  EXPECT_EQ(second.at("stage"), 2);
  EXPECT_EQ(second.at("rollout_percent").to_number<double>(), 50.0);

  // The last stage needs only time; the periodic sweep applies it.
  EXPECT_TRUE(eventually([&] { return release(id).at("stage") == 3; }, std::chrono::seconds(8)));
  EXPECT_EQ(release(id).at("rollout_percent").to_number<double>(), 100.0);
  for (int i = 0; i < kDevices; i += 7) {
    std::string device = "fleet-" + std::to_string(i);
    if (device != in_first_stage[0] && device != in_first_stage[1]) {
      EXPECT_EQ(check(device, "1.0.0").at("update"), true) << device;
    }
  }
  int stage_changes = 0;
  const auto entry = changelog_entry(id);
  for (const auto& h : entry.at("history").as_array()) {
    if (h.at("action") == "release.stage") {
      ++stage_changes;
      EXPECT_EQ(h.at("actor"), "apiota");
    }
  }
  EXPECT_EQ(stage_changes, 2);

  // Setting the share by hand ends the schedule.
  auto manual = patch(id, R"({"rollout_percent":80})");
  ASSERT_EQ(status_of(manual), 200);
  EXPECT_EQ(json_of(manual->body).at("stages").as_array().size(), 0u);
  EXPECT_TRUE(json_of(manual->body).at("stage").is_null());
}

TEST_F(RolloutSafety, BadSchedulesAndSafetySettingsAreRefused) {
  std::int64_t id = upload("1.1.0");
  EXPECT_TRUE(is_error(patch(id, R"({"stages":[{"percent":50},{"percent":10}]})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"stages":[{"percent":0}]})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"stages":[{"min_successes":3}]})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"stages":[{"percent":10,"min_successes":-1}]})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"stages":{"percent":10}})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"stages":[{"percent":10}],"rollout_percent":5})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"safety":{"max_failure_rate":1.5}})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"safety":{"window":0}})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"safety":{"window":4}})"), 400, "INVALID_PARAMETER"));  // below min_attempts 5
  EXPECT_TRUE(is_error(patch(id, R"({"safety":{"stuck_after_seconds":0.5}})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch(id, R"({"safety":"strict"})"), 400, "INVALID_PARAMETER"));
  // Nothing was changed by the refused edits.
  auto unchanged = release(id);
  EXPECT_EQ(unchanged.at("rollout_percent").to_number<double>(), 100.0);
  EXPECT_EQ(unchanged.at("safety").at("window"), 20);
}

TEST_F(RolloutSafety, CliSetsSafetyAndSchedules) {
  std::int64_t id = upload("1.1.0");
  auto safety = server_.cli({"releases", "safety", std::to_string(id), "--max-failure-rate", "0.05", "--window", "50",
                             "--stuck-after", "900"});
  ASSERT_EQ(safety.exit_code, 0) << safety.out;
  auto schedule = server_.cli({"releases", "schedule", std::to_string(id), "--stages", "1:3600:10,25:86400,100"});
  ASSERT_EQ(schedule.exit_code, 0) << schedule.out;
  auto shown = release(id);
  EXPECT_EQ(shown.at("safety").at("max_failure_rate"), 0.05);
  EXPECT_EQ(shown.at("safety").at("window"), 50);
  EXPECT_EQ(shown.at("safety").at("stuck_after_seconds"), 900);
  EXPECT_EQ(shown.at("rollout_percent").to_number<double>(), 1.0);
  ASSERT_EQ(shown.at("stages").as_array().size(), 3u);
  EXPECT_EQ(shown.at("stages").at(1).at("min_duration_seconds"), 86400);
  EXPECT_EQ(shown.at("stages").at(0).at("min_successes"), 10);

  EXPECT_NE(server_.cli({"releases", "schedule", std::to_string(id), "--stages", "ten"}).exit_code, 0);
  EXPECT_NE(server_.cli({"releases", "schedule", std::to_string(id)}).exit_code, 0);
  auto cleared = server_.cli({"releases", "schedule", std::to_string(id), "--clear"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.out;
  EXPECT_EQ(release(id).at("stages").as_array().size(), 0u);
  EXPECT_EQ(release(id).at("rollout_percent").to_number<double>(), 1.0);

  auto audit = admin_get(server_, "/api/admin/audit?limit=3").at("audit").as_array();
  EXPECT_TRUE(audit.at(0).at("actor").as_string().starts_with("cli:"));
  EXPECT_EQ(audit.at(0).at("action"), "release.edit");
}

}  // namespace
}  // namespace apiota::testing
