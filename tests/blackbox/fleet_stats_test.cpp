// GET /api/admin/stats, GET /api/admin/releases/{id}/progress and the merged
// device config against the real binary: simulated devices register, poll and
// report over HTTP, and the counts, buckets, versions per channel and a staged
// rollout's progress are exactly what they did; eligible equals the devices
// check-update offers the release to; bad parameters are refused.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "fleet-stats-secret-01234";

ServerSetup fast_sweep() {
  ServerSetup setup;
  setup.config_toml = "rollout_sweep_seconds = 1\n";
  return setup;
}

class FleetStats : public ::testing::Test {
 protected:
  FleetStats() : server_(fast_sweep()), client_(server_.client()) {}

  void add_devices(const std::string& prefix, int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(register_device(client_, prefix + std::to_string(i), kSecret, server_.admin_key()), 200);
    }
  }

  std::int64_t upload(const std::string& version, const std::string& channel = "stable") {
    EspImageSpec spec;
    spec.version = version;
    spec.payload_bytes = 2048;
    auto res = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), version, channel);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res ? json_of(res->body).at("id").to_number<std::int64_t>() : 0;
  }

  bool offered(const std::string& id, const std::string& version) {
    auto res = client_.Get(check_update_path(id, version, kSecret));
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res && json_of(res->body).at("update") == true;
  }

  void report(const std::string& device, const std::string& status) {
    std::string body = R"({"device_id":")" + device + R"(","device_secret":")" + kSecret + R"(","status":")" +
                       status + R"(","from_version":"1.0.0","to_version":"1.1.0"})";
    ASSERT_EQ(status_of(client_.Post("/api/ota-log", body, "application/json")), 200);
  }

  httplib::Result admin(const std::string& method, const std::string& path, const std::string& body = "") {
    if (method == "POST") return client_.Post(path, bearer(server_.admin_key()), body, "application/json");
    if (method == "PUT") return client_.Put(path, bearer(server_.admin_key()), body, "application/json");
    if (method == "PATCH") return client_.Patch(path, bearer(server_.admin_key()), body, "application/json");
    return client_.Get(path, bearer(server_.admin_key()));
  }

  boost::json::value stats(const std::string& query = "") { return admin_get(server_, "/api/admin/stats" + query); }

  boost::json::value progress(std::int64_t id) {
    return admin_get(server_, "/api/admin/releases/" + std::to_string(id) + "/progress");
  }

  // Devices per version on `channel` in a stats answer ("null" for none).
  static std::map<std::string, std::int64_t> versions(const boost::json::value& stats, const std::string& channel) {
    std::map<std::string, std::int64_t> out;
    for (const auto& c : stats.at("versions").as_array()) {
      if (c.at("channel") != channel.c_str()) continue;
      for (const auto& v : c.at("versions").as_array()) {
        const std::string name = v.at("version").is_null() ? "null" : std::string(v.at("version").as_string());
        out[name] = v.at("devices").to_number<std::int64_t>();
      }
    }
    return out;
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(FleetStats, DevicesAndVersionsPerChannelFollowWhatDevicesDid) {
  add_devices("st-", 6);
  ASSERT_EQ(register_device(client_, "st-none", kSecret, server_.admin_key(), ""), 200);
  ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/st-4/channel", R"({"channel":"beta"})")), 200);
  ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/st-5/channel", R"({"channel":"beta"})")), 200);
  ASSERT_EQ(status_of(admin("POST", "/api/admin/devices/st-3/block")), 200);
  offered("st-0", "1.0.0");
  offered("st-1", "1.0.1");
  offered("st-4", "1.2.0-beta.1");

  const auto expected = [&] {
    const auto s = stats();
    const auto& d = s.at("devices");
    // Registering counts as contact: every device here has been seen.
    return d.at("total") == 7 && d.at("seen_last_hour") == 7 && d.at("seen_last_day") == 7 &&
           d.at("never_seen") == 0 && d.at("blocked") == 1 &&
           versions(s, "stable") == std::map<std::string, std::int64_t>{{"1.0.0", 3}, {"1.0.1", 1}, {"", 1}} &&
           versions(s, "beta") == std::map<std::string, std::int64_t>{{"1.0.0", 1}, {"1.2.0-beta.1", 1}};
  };
  ASSERT_TRUE(eventually(expected, std::chrono::seconds(5))) << stats();
  const auto s = stats();
  ASSERT_EQ(s.at("versions").as_array().size(), 2u);  // every channel with devices, most stable first
  EXPECT_EQ(s.at("versions").at(0).at("channel"), "stable");
  EXPECT_EQ(s.at("versions").at(1).at("channel"), "beta");
  EXPECT_GT(parse_iso8601(std::string(s.at("generated_at").as_string())), 0);
  EXPECT_TRUE(s.at("rollouts").as_array().empty());
}

TEST_F(FleetStats, OutcomeBucketsEndWithTheCurrentOne) {
  const auto hours = stats();
  const auto& h = hours.at("outcomes");
  EXPECT_EQ(h.at("bucket"), "hour");
  ASSERT_EQ(h.at("buckets").as_array().size(), 24u);
  const std::time_t now = std::time(nullptr);
  const std::time_t last = parse_iso8601(std::string(h.at("buckets").at(23).at("start").as_string()));
  const std::time_t first = parse_iso8601(std::string(h.at("buckets").at(0).at("start").as_string()));
  EXPECT_EQ(last % 3600, 0);
  EXPECT_LE(last, now);
  EXPECT_GT(last + 3600, now - 5);
  EXPECT_EQ(last - first, 23 * 3600);
  EXPECT_EQ(h.at("buckets").at(0), json_of(R"({"start":")" + std::string(h.at("buckets").at(0).at("start").as_string()) +
                                           R"(","installed":0,"failed":0,"stuck":0,"rolled_back":0})"));

  const auto days = stats("?bucket=day&span=3").at("outcomes");
  EXPECT_EQ(days.at("bucket"), "day");
  ASSERT_EQ(days.at("buckets").as_array().size(), 3u);
  EXPECT_EQ(parse_iso8601(std::string(days.at("buckets").at(2).at("start").as_string())) % 86400, 0);
  EXPECT_EQ(stats("?bucket=hour&span=720").at("outcomes").at("buckets").as_array().size(), 720u);
}

TEST_F(FleetStats, AStagedRolloutsProgressCountsWhatItsDevicesDid) {
  add_devices("pg-", 300);
  const std::int64_t id = upload("1.1.0");
  const std::string release = "/api/admin/releases/" + std::to_string(id);
  ASSERT_EQ(status_of(admin("PATCH", release,
                            R"({"stages":[{"percent":20,"min_duration_seconds":86400},{"percent":100}],)"
                            R"("safety":{"max_failure_rate":1,"stuck_after_seconds":600}})")),
            200);
  ASSERT_EQ(status_of(admin("POST", "/api/admin/devices/pg-0/block")), 200);

  // Eligible: exactly the devices check-update offers the release to.
  std::vector<std::string> offered_to;
  for (int i = 1; i < 300; ++i) {
    const std::string device = "pg-" + std::to_string(i);
    if (offered(device, "1.0.0")) offered_to.push_back(device);
  }
  ASSERT_GE(offered_to.size(), 6u);
  auto p = progress(id);
  EXPECT_EQ(p.at("release_id"), id);
  EXPECT_EQ(p.at("eligible"), static_cast<std::int64_t>(offered_to.size()));
  EXPECT_EQ(p.at("offered"), 0);

  report(offered_to[0], "done");
  report(offered_to[1], "done");
  report(offered_to[2], "failed");
  report(offered_to[3], "downloading");
  report(offered_to[4], "rebooting");
  report(offered_to[5], "downloading");
  report(offered_to[5], "flashing");  // the same attempt, moved on
  // A snapshot is reused for ten times as long as counting it took.
  ASSERT_TRUE(eventually([&] { return progress(id).at("offered") == 6; })) << progress(id);
  p = progress(id);
  EXPECT_EQ(p.at("eligible"), static_cast<std::int64_t>(offered_to.size()));
  EXPECT_EQ(p.at("offered"), 6);
  EXPECT_EQ(p.at("in_progress"), 3);
  EXPECT_EQ(p.at("installed"), 2);
  EXPECT_EQ(p.at("failed"), 1);
  EXPECT_EQ(p.at("stuck"), 0);
  EXPECT_EQ(p.at("rolled_back"), 0);

  // The bootloader rolled offered_to[4] back: its next poll reports the old version.
  offered(offered_to[4], "1.0.0");
  // Silent attempts go stuck once the release says so.
  ASSERT_EQ(status_of(admin("PATCH", release, R"({"safety":{"stuck_after_seconds":1}})")), 200);
  ASSERT_TRUE(eventually([&] { return progress(id).at("stuck") == 2; }, std::chrono::seconds(8))) << progress(id);
  p = progress(id);
  EXPECT_EQ(p.at("offered"), 6);
  EXPECT_EQ(p.at("in_progress"), 0);
  EXPECT_EQ(p.at("installed"), 2);
  EXPECT_EQ(p.at("failed"), 1);
  EXPECT_EQ(p.at("rolled_back"), 1);

  // The overview shows the same rollout and the same outcomes over time.
  const auto s = stats();
  ASSERT_EQ(s.at("rollouts").as_array().size(), 1u);
  const auto& rollout = s.at("rollouts").at(0);
  EXPECT_EQ(rollout.at("release").at("id"), id);
  boost::json::object progress_in_stats = rollout.at("progress").as_object();
  boost::json::object progress_alone = progress(id).as_object();
  progress_in_stats.erase("generated_at");
  progress_alone.erase("generated_at");
  EXPECT_EQ(progress_in_stats, progress_alone);
  std::map<std::string, std::int64_t> outcomes;
  for (const auto& b : s.at("outcomes").at("buckets").as_array()) {
    for (const char* name : {"installed", "failed", "stuck", "rolled_back"}) {
      outcomes[name] += b.at(name).to_number<std::int64_t>();
    }
  }
  EXPECT_EQ(outcomes, (std::map<std::string, std::int64_t>{{"installed", 2}, {"failed", 1}, {"stuck", 2},
                                                           {"rolled_back", 1}}));
  EXPECT_EQ(versions(s, "stable"), (std::map<std::string, std::int64_t>{{"1.0.0", 298}, {"1.1.0", 2}}));
}

TEST_F(FleetStats, ListedAndTaggedDevicesAreEligibleAsCheckUpdateOffersThem) {
  add_devices("tg-", 40);
  for (int i = 0; i < 40; i += 3) {
    ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/tg-" + std::to_string(i) + "/tags", R"({"tags":["lab"]})")),
              200);
  }
  ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/tg-1/channel", R"({"channel":"beta"})")), 200);
  const std::int64_t id = upload("1.1.0");
  ASSERT_EQ(status_of(admin("PATCH", "/api/admin/releases/" + std::to_string(id),
                            R"({"rollout_percent":50,"rollout_tags":["lab"],"rollout_devices":["tg-1","tg-2"]})")),
            200);
  int offers = 0;
  for (int i = 0; i < 40; ++i) offers += offered("tg-" + std::to_string(i), "1.0.0");
  EXPECT_EQ(progress(id).at("eligible"), offers);
  EXPECT_EQ(stats().at("rollouts").at(0).at("progress").at("eligible"), offers);
}

// The whole share with no listed device is counted rather than walked: the
// count must still be exactly the devices check-update offers the release to.
TEST_F(FleetStats, AWholeShareOfTaggedDevicesIsEligibleAsCheckUpdateOffersThem) {
  add_devices("wt-", 30);
  for (int i = 0; i < 30; i += 2) {
    ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/wt-" + std::to_string(i) + "/tags", R"({"tags":["field"]})")),
              200);
  }
  ASSERT_EQ(status_of(admin("POST", "/api/admin/devices/wt-4/block")), 200);
  ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/wt-6/channel", R"({"channel":"dev"})")), 200);
  const std::int64_t id = upload("1.1.0", "beta");
  ASSERT_EQ(status_of(admin("PATCH", "/api/admin/releases/" + std::to_string(id),
                            R"({"rollout_percent":100,"rollout_tags":["field"]})")),
            200);
  int offers = 0;
  for (int i = 0; i < 30; ++i) {
    if (i != 4) offers += offered("wt-" + std::to_string(i), "1.0.0");  // a blocked device's poll is refused
  }
  EXPECT_EQ(offers, 1);  // wt-6 alone: tagged, unblocked, and on a channel a beta release reaches
  EXPECT_EQ(progress(id).at("eligible"), offers);
}

TEST_F(FleetStats, MergedConfigIsWhatTheDeviceGets) {
  add_devices("cf-", 1);
  ASSERT_EQ(status_of(admin("PUT", "/api/admin/config", R"({"a":1,"n":{"x":1,"y":2},"list":[1,2]})")), 200);
  ASSERT_EQ(status_of(admin("PUT", "/api/admin/devices/cf-0/config", R"({"n":{"y":3},"list":[9],"b":true})")), 200);
  auto device = client_.Get("/api/config?device_id=cf-0&device_secret=" + std::string(kSecret));
  ASSERT_EQ(status_of(device), 200);
  const auto shown = admin_get(server_, "/api/admin/devices/cf-0/config");
  EXPECT_EQ(shown.at("merged"), json_of(device->body).at("config"));
  EXPECT_EQ(shown.at("merged"), json_of(R"({"a":1,"n":{"x":1,"y":3},"list":[9],"b":true})"));
  EXPECT_EQ(shown.at("config"), json_of(R"({"n":{"y":3},"list":[9],"b":true})"));
}

TEST_F(FleetStats, BadParametersAreRefused) {
  for (const char* query : {"?bucket=week", "?bucket=", "?span=0", "?span=721", "?span=abc", "?span=-1"}) {
    SCOPED_TRACE(query);
    EXPECT_TRUE(is_error(admin("GET", std::string("/api/admin/stats") + query), 400, "INVALID_PARAMETER"));
  }
  EXPECT_TRUE(is_error(admin("GET", "/api/admin/releases/999/progress"), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(admin("GET", "/api/admin/releases/abc/progress"), 404, "NOT_FOUND"));
  EXPECT_TRUE(is_error(client_.Get("/api/admin/stats"), 401, "UNAUTHORIZED"));
}

}  // namespace
}  // namespace apiota::testing
