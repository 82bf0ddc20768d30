// Numbers a person or a script reads are written plainly, against the real
// binary: plans, rollout shares, stage schedules and safety rates in JSON
// answers, in CLI output and in the Markdown changelog never use exponent
// notation (Boost.JSON alone writes 30 as 3E1), and a rollout share is a
// multiple of 0.01 in [0, 100] or refused with 400 INVALID_PARAMETER / a CLI
// error (never silently rounded).

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

// A number in exponent notation, as Boost.JSON writes doubles ("3E1",
// "2E-1", "1.056E1"). Hex digests are lowercase, so an uppercase E after a
// digit is always an exponent.
::testing::AssertionResult plain(const std::string& text) {
  static const std::regex exponent("[0-9]E[-+]?[0-9]");
  std::smatch found;
  if (std::regex_search(text, found, exponent)) {
    return ::testing::AssertionFailure() << "exponent notation near '" << found.str() << "' in: " << text;
  }
  return ::testing::AssertionSuccess();
}

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

class PlainNumbers : public ::testing::Test {
 protected:
  std::int64_t upload(const std::string& version) {
    EspImageSpec spec;
    spec.version = version;
    spec.payload_bytes = 2048;
    auto res = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), version);
    EXPECT_EQ(status_of(res), 200) << (res ? res->body : "no response");
    return res ? json_of(res->body).at("id").to_number<std::int64_t>() : 0;
  }

  // The raw body of an admin GET.
  std::string raw(const std::string& path) {
    auto res = client_.Get(path, bearer(server_.admin_key()));
    EXPECT_EQ(status_of(res), 200) << (res ? res->body : "no response");
    return res ? res->body : "";
  }

  httplib::Result patch(std::int64_t id, const std::string& body) {
    return client_.Patch("/api/admin/releases/" + std::to_string(id), bearer(server_.admin_key()), body,
                         "application/json");
  }

  ServerProcess server_;
  httplib::Client client_ = server_.client();
};

// A device reads its config with a JSON parser of its own (ArduinoJson on
// an ESP32): fractions and large whole numbers reach it plainly, in the
// stored text, the device's answer and the audit alike.
TEST_F(PlainNumbers, ConfigNumbersReachDevicesPlainly) {
  auto put = client_.Put("/api/admin/config", bearer(server_.admin_key()),
                         R"({"ratio":0.5,"threshold":30.25,"big":1e6,"tiny":0.001})", "application/json");
  ASSERT_EQ(status_of(put), 200) << (put ? put->body : "no response");
  EXPECT_TRUE(plain(put->body));
  ASSERT_EQ(register_device(client_, "cfg-dev-1", "cfg-dev-secret-0123456789", server_.admin_key()), 200);
  auto res = client_.Get("/api/config?device_id=cfg-dev-1&device_secret=cfg-dev-secret-0123456789");
  ASSERT_EQ(status_of(res), 200);
  EXPECT_TRUE(plain(res->body));
  EXPECT_TRUE(contains(res->body, R"("ratio":0.5)")) << res->body;
  EXPECT_TRUE(contains(res->body, R"("big":1000000)")) << res->body;
  EXPECT_TRUE(contains(res->body, R"("tiny":0.001)")) << res->body;
  EXPECT_TRUE(plain(raw("/api/admin/config")));
  EXPECT_TRUE(plain(raw("/api/admin/audit?limit=5")));
}

TEST_F(PlainNumbers, PlansAreWrittenPlainly) {
  auto plan = server_.cli({"projects", "plan", "default", "--device-rpm", "30", "--device-burst", "2.5"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out;
  EXPECT_TRUE(plain(plan.out));
  EXPECT_TRUE(contains(plan.out, R"("device_requests_per_minute":30,)")) << plan.out;
  EXPECT_TRUE(contains(plan.out, R"("device_burst":2.5)")) << plan.out;
  auto list = server_.cli({"projects", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_TRUE(plain(list.out));
  EXPECT_TRUE(contains(list.out, R"("device_requests_per_minute":30,)")) << list.out;

  const std::string project = raw("/api/admin/project");
  EXPECT_TRUE(plain(project));
  EXPECT_TRUE(contains(project, R"("device_requests_per_minute":30,)")) << project;
  EXPECT_TRUE(plain(raw("/api/admin/audit")));
}

TEST_F(PlainNumbers, RolloutSharesSchedulesAndRatesAreWrittenPlainly) {
  const std::int64_t id = upload("1.1.0");
  const std::string path = "/api/admin/releases/" + std::to_string(id);
  std::string shown = raw(path);
  EXPECT_TRUE(plain(shown));
  EXPECT_TRUE(contains(shown, R"("rollout_percent":100,)")) << shown;
  EXPECT_TRUE(contains(shown, R"("max_failure_rate":0.2,)")) << shown;

  auto staged = patch(id, R"({"stages":[{"percent":1},{"percent":50},{"percent":100}]})");
  ASSERT_EQ(status_of(staged), 200) << staged->body;
  EXPECT_TRUE(plain(staged->body));
  EXPECT_TRUE(contains(staged->body, R"({"percent":50,)")) << staged->body;
  auto safety = server_.cli({"releases", "safety", std::to_string(id), "--max-failure-rate", "0.05"});
  ASSERT_EQ(safety.exit_code, 0) << safety.out;
  EXPECT_TRUE(plain(safety.out));
  EXPECT_TRUE(contains(safety.out, R"("max_failure_rate":0.05,)")) << safety.out;

  const std::string markdown = raw("/api/admin/changelog?format=markdown");
  EXPECT_TRUE(plain(markdown));
  EXPECT_TRUE(contains(markdown, "- rollout 1%,")) << markdown;
  EXPECT_TRUE(contains(markdown, " 50% (after 0 s and 0 installs);")) << markdown;
  EXPECT_TRUE(plain(raw("/api/admin/changelog")));
  EXPECT_TRUE(plain(raw("/api/admin/releases")));
  EXPECT_TRUE(plain(raw("/api/admin/audit")));

  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
           {"releases", "list"}, {"releases", "show", std::to_string(id)}, {"changelog"}, {"changelog", "--markdown"},
           {"audit"}}) {
    auto out = server_.cli(command);
    ASSERT_EQ(out.exit_code, 0) << out.out;
    EXPECT_TRUE(plain(out.out)) << command.at(0);
  }
}

TEST_F(PlainNumbers, RolloutSharesAreHundredthsOfAPercentOrRefused) {
  const std::int64_t id = upload("1.1.0");
  for (const char* bad : {"10.555", "100.01", "-1", "0.001"}) {
    EXPECT_TRUE(is_error(patch(id, std::string(R"({"rollout_percent":)") + bad + "}"), 400, "INVALID_PARAMETER"))
        << bad;
    auto cli = server_.cli({"releases", "rollout", std::to_string(id), "--percent", bad});
    EXPECT_NE(cli.exit_code, 0) << bad << ": " << cli.out;
  }
  auto cli = server_.cli({"releases", "rollout", std::to_string(id), "--percent", "10.555"});
  EXPECT_TRUE(contains(cli.out, "two decimals")) << cli.out;
  EXPECT_TRUE(contains(raw("/api/admin/releases/" + std::to_string(id)), R"("rollout_percent":100,)"));

  auto fine = patch(id, R"({"rollout_percent":10.55})");
  ASSERT_EQ(status_of(fine), 200) << fine->body;
  EXPECT_TRUE(contains(fine->body, R"("rollout_percent":10.55,)")) << fine->body;
  auto zero = server_.cli({"releases", "rollout", std::to_string(id), "--percent", "0"});
  ASSERT_EQ(zero.exit_code, 0) << zero.out;
  EXPECT_TRUE(contains(zero.out, R"("rollout_percent":0,)")) << zero.out;
}

}  // namespace
}  // namespace apiota::testing
