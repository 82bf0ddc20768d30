// Devices from the command line: tags shown and cleared only on purpose, a
// reason kept with a block (CLI and admin API alike), and channel and tag
// changes in bulk, by tag or by a list of ids.

#include <gtest/gtest.h>

#include <fstream>

#include "support/cli_run.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "cli-devices-secret-0123";

class CliDevices : public ::testing::Test {
 protected:
  CliDevices() : client_(server_.client()) {
    for (const char* id : {"dev-1", "dev-2", "dev-3"}) {
      EXPECT_EQ(register_device(client_, id, kSecret, server_.admin_key()), 200);
    }
  }

  CliOutcome cli(std::vector<std::string> args, std::string stdin_text = "") {
    return run_cli({with_data(std::move(args), server_.data_dir()), {}, std::move(stdin_text)});
  }

  boost::json::object show(const std::string& id) {
    auto result = cli({"devices", "show", id});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json_of(result.out).as_object();
  }

  std::vector<std::string> tags_of(const std::string& id) {
    std::vector<std::string> tags;
    const boost::json::object device = show(id);
    for (const auto& tag : device.at("tags").as_array()) tags.emplace_back(tag.as_string());
    return tags;
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(CliDevices, ShowListsTheTagsAndTagsAreClearedOnlyWithClear) {
  ASSERT_EQ(cli({"devices", "tags", "dev-1", "lab", "canary"}).exit_code, 0);
  EXPECT_EQ(tags_of("dev-1"), (std::vector<std::string>{"canary", "lab"}));

  auto no_tags = cli({"devices", "tags", "dev-1"});
  EXPECT_EQ(no_tags.exit_code, 2);
  EXPECT_NE(no_tags.err.find("--clear"), std::string::npos) << no_tags.err;
  EXPECT_EQ(tags_of("dev-1"), (std::vector<std::string>{"canary", "lab"}));

  auto cleared = cli({"devices", "tags", "dev-1", "--clear"});
  EXPECT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_TRUE(tags_of("dev-1").empty());
  EXPECT_EQ(cli({"devices", "tags", "dev-1", "lab", "--clear"}).exit_code, 2);
}

TEST_F(CliDevices, ARolloutsTagsAndDevicesCanBeCleared) {
  auto res = upload_firmware(client_, server_.admin_key(), firmware_image("1.1.0", 2048), "1.1.0");
  ASSERT_TRUE(res && res->status == 200);
  const std::string id = std::to_string(json_of(res->body).at("id").to_number<std::int64_t>());
  ASSERT_EQ(cli({"releases", "rollout", id, "--tags", "lab", "--devices", "dev-2"}).exit_code, 0);

  auto cleared = cli({"releases", "rollout", id, "--clear-tags", "--clear-devices"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  auto release = json_of(cli({"releases", "show", id}).out);
  EXPECT_TRUE(release.at("rollout_tags").as_array().empty());
  EXPECT_TRUE(release.at("rollout_devices").as_array().empty());
  EXPECT_EQ(cli({"releases", "rollout", id, "--tags", "lab", "--clear-tags"}).exit_code, 2);
}

TEST_F(CliDevices, ABlockKeepsItsReasonUntilUnblocked) {
  auto blocked = cli({"devices", "block", "dev-1", "--reason", "reported stolen"});
  ASSERT_EQ(blocked.exit_code, 0) << blocked.err;
  EXPECT_EQ(show("dev-1").at("blocked_reason"), "reported stolen");
  auto listed = cli({"devices", "list"});
  EXPECT_NE(listed.out.find("reported stolen"), std::string::npos) << listed.out;
  auto audit = json_of(lines_of(cli({"audit", "--limit", "1"}).out).at(0));
  EXPECT_EQ(audit.at("action"), "device.block");
  EXPECT_EQ(audit.at("after").at("blocked_reason"), "reported stolen");
  auto over_http = admin_get(server_, "/api/admin/devices/dev-1");
  EXPECT_EQ(over_http.at("blocked_reason"), "reported stolen");

  ASSERT_EQ(cli({"devices", "unblock", "dev-1"}).exit_code, 0);
  EXPECT_EQ(show("dev-1").at("blocked_reason"), nullptr);
}

TEST_F(CliDevices, TheAdminApiTakesABlockReasonToo) {
  auto res = client_.Post("/api/admin/devices/dev-2/block", bearer(server_.admin_key()),
                          R"({"reason":"flooding the server"})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json_of(res->body).at("blocked_reason"), "flooding the server");
  EXPECT_EQ(show("dev-2").at("blocked_reason"), "flooding the server");

  auto plain = client_.Post("/api/admin/devices/dev-3/block", bearer(server_.admin_key()), "", "application/json");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200) << plain->body;
  auto bad = client_.Post("/api/admin/devices/dev-3/block", bearer(server_.admin_key()), R"({"reason":7})",
                          "application/json");
  EXPECT_TRUE(is_error(bad, 400, "INVALID_PARAMETER"));
}

TEST_F(CliDevices, ChannelsChangeInBulkByTagOrByIdsFromAFileOrStdin) {
  ASSERT_EQ(cli({"devices", "tags", "dev-1", "lab"}).exit_code, 0);
  ASSERT_EQ(cli({"devices", "tags", "dev-2", "lab", "site-7"}).exit_code, 0);

  auto by_tag = cli({"devices", "channel", "--tag", "lab", "beta"});
  ASSERT_EQ(by_tag.exit_code, 0) << by_tag.err;
  EXPECT_EQ(show("dev-1").at("channel"), "beta");
  EXPECT_EQ(show("dev-2").at("channel"), "beta");
  EXPECT_EQ(show("dev-3").at("channel"), "stable");

  auto ids = server_.data_dir().parent_path() / "ids.txt";
  std::ofstream(ids) << "dev-1\n\ndev-3\n";
  auto from_file = cli({"devices", "channel", "--ids-from", ids.string(), "dev"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(show("dev-1").at("channel"), "dev");
  EXPECT_EQ(show("dev-2").at("channel"), "beta");
  EXPECT_EQ(show("dev-3").at("channel"), "dev");

  auto from_stdin = cli({"devices", "channel", "--ids-from", "-", "stable"}, "dev-2\ndev-3\n");
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(show("dev-2").at("channel"), "stable");
  EXPECT_EQ(show("dev-3").at("channel"), "stable");
  EXPECT_EQ(show("dev-1").at("channel"), "dev");
}

TEST_F(CliDevices, AnUnknownIdInABulkChangeChangesNothing) {
  auto result = cli({"devices", "channel", "--ids-from", "-", "beta"}, "dev-1\nno-such-device\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("no device no-such-device"), std::string::npos) << result.err;
  EXPECT_EQ(show("dev-1").at("channel"), "stable");
  EXPECT_EQ(cli({"devices", "channel", "--tag", "nobody-has-it", "beta"}).exit_code, 1);
}

TEST_F(CliDevices, TagsChangeInBulk) {
  ASSERT_EQ(cli({"devices", "tags", "dev-1", "lab"}).exit_code, 0);
  ASSERT_EQ(cli({"devices", "tags", "dev-2", "lab", "old"}).exit_code, 0);

  auto added = cli({"devices", "tags", "--tag", "lab", "--add", "canary"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(tags_of("dev-1"), (std::vector<std::string>{"canary", "lab"}));
  EXPECT_EQ(tags_of("dev-2"), (std::vector<std::string>{"canary", "lab", "old"}));

  auto removed = cli({"devices", "tags", "--ids-from", "-", "--remove", "old", "--remove", "lab"}, "dev-2\ndev-3\n");
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(tags_of("dev-2"), (std::vector<std::string>{"canary"}));
  EXPECT_TRUE(tags_of("dev-3").empty());

  auto replaced = cli({"devices", "tags", "--ids-from", "-", "site-1"}, "dev-1\ndev-3\n");
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(tags_of("dev-1"), (std::vector<std::string>{"site-1"}));
  EXPECT_EQ(tags_of("dev-3"), (std::vector<std::string>{"site-1"}));
}

}  // namespace
}  // namespace apiota::testing
