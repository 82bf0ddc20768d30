// Subcommands that take an id find what it names by the id alone: release,
// device and key ids are unique across projects, so no --project is needed;
// where a project is still needed (a tag), the error names the project searched.

#include <gtest/gtest.h>

#include "support/cli_run.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "cli-ids-secret-0123456";

class CliIds : public ::testing::Test {
 protected:
  CliIds() : client_(server_.client()) {
    EXPECT_EQ(server_.cli({"projects", "create", "b"}).exit_code, 0);
    auto key = server_.cli({"keys", "create", "--role", "admin", "--project", "b"});
    key_b_ = last_line(key.out);
    EXPECT_TRUE(key_b_.starts_with("pk_live_")) << key.out;
    EXPECT_EQ(register_device(client_, "b-dev", kSecret, key_b_), 200);
  }

  std::int64_t upload_b(const std::string& version) {
    auto res = upload_firmware(client_, key_b_, firmware_image(version, 2048), version);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res ? json_of(res->body).at("id").to_number<std::int64_t>() : 0;
  }

  CliOutcome cli(std::vector<std::string> args) { return run_cli({with_data(std::move(args), server_.data_dir())}); }

  ServerProcess server_;
  httplib::Client client_;
  std::string key_b_;
};

TEST_F(CliIds, EveryReleaseSubcommandFindsTheReleaseByItsIdAlone) {
  const std::string first = std::to_string(upload_b("1.1.0"));
  const std::string second = std::to_string(upload_b("1.2.0"));

  auto show = cli({"releases", "show", second});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json_of(show.out).at("project_id"), "b");

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"releases", "notes", second, "from the cli"},
           {"releases", "rollout", second, "--percent", "50"},
           {"releases", "schedule", second, "--stages", "10,100"},
           {"releases", "safety", second, "--window", "30"},
           {"releases", "rollback-target", second, first},
           {"releases", "pause", second},
           {"releases", "resume", second},
           {"releases", "revoke", second, "--reason", "bad build"},
           {"releases", "promote", first, "beta"}}) {
    auto result = cli(args);
    EXPECT_EQ(result.exit_code, 0) << args[1] << ": " << result.err;
  }
  auto after = json_of(cli({"releases", "show", second}).out);
  EXPECT_EQ(after.at("notes"), "from the cli");
  EXPECT_EQ(after.at("state"), "revoked");

  auto promoted = json_of(lines_of(cli({"releases", "list", "--project", "b"}).out).at(0));
  auto removed = cli({"releases", "delete", std::to_string(promoted.at("id").to_number<std::int64_t>())});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
}

TEST_F(CliIds, AMissingReleaseOrOneOfAnotherProjectIsNamedPrecisely) {
  const std::string id = std::to_string(upload_b("1.1.0"));
  auto missing = cli({"releases", "show", "9999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no release 9999"), std::string::npos) << missing.err;

  auto elsewhere = cli({"releases", "pause", id, "--project", "default"});
  EXPECT_EQ(elsewhere.exit_code, 1);
  EXPECT_NE(elsewhere.err.find("release " + id + " belongs to project b, not default"), std::string::npos)
      << elsewhere.err;
}

TEST_F(CliIds, PinsOfADeviceNeedNoProjectAndTagPinsNameTheProjectSearched) {
  upload_b("1.1.0");
  auto set = cli({"pins", "set", "--device", "b-dev", "1.1.0"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  auto listed = cli({"pins", "list", "--project", "b"});
  EXPECT_NE(listed.out.find("b-dev"), std::string::npos) << listed.out;
  auto cleared = cli({"pins", "clear", "--device", "b-dev"});
  EXPECT_EQ(cleared.exit_code, 0) << cleared.err;

  auto no_tag_pin = cli({"pins", "clear", "--tag", "lab"});
  EXPECT_EQ(no_tag_pin.exit_code, 1);
  EXPECT_NE(no_tag_pin.err.find("no pin on tag lab in project default"), std::string::npos) << no_tag_pin.err;
}

TEST_F(CliIds, DeviceConfigAndKeysOfAnyProjectAreFoundByTheirIds) {
  auto config = cli({"config", "set", "--device", "b-dev", R"({"interval":5})"});
  EXPECT_EQ(config.exit_code, 0) << config.err;
  auto keys = lines_of(cli({"keys", "list", "--project", "b"}).out);
  ASSERT_FALSE(keys.empty());
  auto key_id = std::string(json_of(keys.at(0)).at("id").as_string());
  auto revoked = cli({"keys", "revoke", key_id});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
}

}  // namespace
}  // namespace apiota::testing
