// An audit log a person can read: each entry holds only the fields that
// changed, a change that changes nothing is not recorded, the CLI names the
// OS user who ran it, and keys carry a label shown in key lists and the audit.

#include <gtest/gtest.h>

#include <pwd.h>
#include <unistd.h>

#include "support/cli_run.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "audit-trail-secret-0123";

class AuditTrail : public ::testing::Test {
 protected:
  AuditTrail() : client_(server_.client()) {
    EXPECT_EQ(register_device(client_, "dev-1", kSecret, server_.admin_key()), 200);
  }

  CliOutcome cli(std::vector<std::string> args) { return run_cli({with_data(std::move(args), server_.data_dir())}); }

  boost::json::array audit() { return admin_get(server_, "/api/admin/audit").at("audit").as_array(); }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(AuditTrail, AnEntryHoldsOnlyTheChangedFields) {
  ASSERT_EQ(cli({"devices", "channel", "dev-1", "beta"}).exit_code, 0);
  auto entry = audit().at(0).as_object();
  EXPECT_EQ(entry.at("action"), "device.channel");
  EXPECT_EQ(entry.at("before"), (boost::json::object{{"channel", "stable"}}));
  EXPECT_EQ(entry.at("after"), (boost::json::object{{"channel", "beta"}}));
  EXPECT_LT(boost::json::serialize(entry).size(), 300u) << entry;
}

TEST_F(AuditTrail, AChangeThatChangesNothingIsNotRecorded) {
  ASSERT_EQ(cli({"devices", "channel", "dev-1", "beta"}).exit_code, 0);
  const auto entries = audit().size();
  EXPECT_EQ(cli({"devices", "channel", "dev-1", "beta"}).exit_code, 0);
  EXPECT_EQ(cli({"devices", "unblock", "dev-1"}).exit_code, 0);
  auto same = client_.Put("/api/admin/devices/dev-1/channel", bearer(server_.admin_key()), R"({"channel":"beta"})",
                          "application/json");
  EXPECT_EQ(status_of(same), 200);
  EXPECT_EQ(audit().size(), entries);
}

TEST_F(AuditTrail, TheCliActorNamesTheOsUser) {
  ASSERT_EQ(cli({"devices", "block", "dev-1"}).exit_code, 0);
  const passwd* user = ::getpwuid(::getuid());
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(audit().at(0).at("actor").as_string(), "cli:" + std::string(user->pw_name));
}

TEST_F(AuditTrail, KeysCarryALabelThatListsAndTheAuditShow) {
  auto created = cli({"keys", "create", "--role", "admin", "--label", "ops laptop"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string key = last_line(created.out);
  bool listed = false;
  for (const auto& line : lines_of(cli({"keys", "list"}).out)) {
    if (json_of(line).at("label") == "ops laptop") listed = true;
  }
  EXPECT_TRUE(listed);

  auto blocked = client_.Post("/api/admin/devices/dev-1/block", bearer(key), "", "application/json");
  ASSERT_EQ(status_of(blocked), 200);
  auto entry = audit().at(0).as_object();
  EXPECT_EQ(entry.at("action"), "device.block");
  EXPECT_EQ(entry.at("actor_label"), "ops laptop");

  auto over_http = client_.Post("/api/admin/keys", bearer(server_.admin_key()),
                                R"({"role":"provision","label":"factory line 2"})", "application/json");
  ASSERT_EQ(status_of(over_http), 201) << over_http->body;
  EXPECT_EQ(json_of(over_http->body).at("label"), "factory line 2");
  auto keys = admin_get(server_, "/api/admin/keys").at("keys").as_array();
  EXPECT_EQ(keys.back().at("label"), "factory line 2");
  auto bad = client_.Post("/api/admin/keys", bearer(server_.admin_key()), R"({"role":"provision","label":"a\nb"})",
                          "application/json");
  EXPECT_TRUE(is_error(bad, 400, "INVALID_PARAMETER"));
}

}  // namespace
}  // namespace apiota::testing
