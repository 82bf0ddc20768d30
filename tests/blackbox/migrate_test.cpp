// `apiota migrate --from DATA_DIR --to postgres://...` (docs/scale-out.md,
// "Moving from SQLite"), end to end: an installation that served a device
// on SQLite is copied into PostgreSQL, and a node on the copy, with nothing
// of the old folder but its server key, serves that device as before: its
// secret, its admin key, its release and the firmware's bytes, its OTA log
// and its config. A second copy into the same database is refused and
// changes nothing; a command line without its two places is a usage error.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/apiota_binary.h"
#include "support/cli_run.h"
#include "support/digests.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/postgres_cluster.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "migrated-device-secret-01";

// The records `apiota migrate` printed (JSON lines: standard output is not a
// terminal), by what they name; the firmware under "firmware".
std::map<std::string, boost::json::object> carried(const std::string& out) {
  std::map<std::string, boost::json::object> by_what;
  for (const std::string& line : lines_of(out)) {
    const auto record = json_of(line).as_object();
    by_what[std::string(record.at("what").as_string())] = record;
  }
  return by_what;
}

std::string report_body(const std::string& status, const std::string& message) {
  std::string body = R"({"device_id":"dev-m","device_secret":")";
  body.append(kSecret).append(R"(","status":")").append(status).append(R"(","message":")");
  return body.append(message).append(R"("})");
}

TEST(Migrate, ANodeOnTheCopyServesTheOldInstallationsDevices) {
  ServerProcess old_server;
  auto client = old_server.client();
  auto provision = old_server.cli({"keys", "create", "--role", "provision"});
  ASSERT_EQ(provision.exit_code, 0) << provision.out;
  ASSERT_EQ(register_device(client, "dev-m", kSecret, last_line(provision.out)), 200);
  const auto image = firmware_image("2.0.0", 1'200'000);
  auto uploaded = upload_firmware(client, old_server.admin_key(), image, "2.0.0");
  ASSERT_TRUE(uploaded);
  ASSERT_EQ(uploaded->status, 200) << uploaded->body;
  auto report = client.Post("/api/ota-log", report_body("failed", "carried over"), "application/json");
  ASSERT_EQ(status_of(report), 200);
  auto config = old_server.cli({"config", "set", "--device", "dev-m", R"({"interval":90})"});
  ASSERT_EQ(config.exit_code, 0) << config.out;
  ASSERT_EQ(old_server.stop(), 0);

  const std::string store = shared_postgres().create_database();
  const CliOutcome migrated =
      run_cli({{"migrate", "--from", old_server.data_dir().string(), "--to", store}});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.out << migrated.err;
  EXPECT_NE(migrated.err.find("read back and matched"), std::string::npos) << migrated.err;
  const auto records = carried(migrated.out);
  ASSERT_TRUE(records.contains("devices")) << migrated.out;
  EXPECT_EQ(records.at("devices").at("rows").as_int64(), 1);
  EXPECT_EQ(records.at("releases").at("rows").as_int64(), 1);
  EXPECT_EQ(records.at("ota_logs").at("rows").as_int64(), 1);
  EXPECT_EQ(records.at("device_version_counts").at("carried").as_string(), "recounted");
  ASSERT_TRUE(records.contains("firmware"));
  EXPECT_EQ(records.at("firmware").at("bytes").as_int64(), static_cast<std::int64_t>(image.size()));
  EXPECT_EQ(records.at("firmware").at("sha256").as_string(), sha256_hex(image));

  // A node with only the old server key: the firmware comes from the store.
  ServerSetup node;
  node.store = store;
  node.server_key = old_server.data_dir() / "secret.key";
  node.expect_admin_key = false;
  ServerProcess b(node);
  auto client_b = b.client();
  auto poll = client_b.Get(check_update_path("dev-m", "1.0.0", kSecret));
  ASSERT_TRUE(poll);
  ASSERT_EQ(poll->status, 200) << poll->body;
  const auto answer = json_of(poll->body);
  ASSERT_TRUE(answer.at("update").as_bool()) << poll->body;
  const std::string url(answer.at("url").as_string());
  auto file = client_b.Get(url.substr(b.base_url().size()));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(sha256_hex(file->body), sha256_hex(image));

  const auto logs = admin_get(client_b, old_server.admin_key(), "/api/admin/devices/dev-m/logs");
  EXPECT_NE(boost::json::serialize(logs).find("carried over"), std::string::npos) << logs;
  auto fetched = client_b.Get(std::string("/api/config?device_id=dev-m&device_secret=") + kSecret);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->status, 200) << fetched->body;
  EXPECT_NE(fetched->body.find(R"("interval":90)"), std::string::npos) << fetched->body;

  // Into a database that holds it now: refused, nothing changed.
  const CliOutcome again = run_cli({{"migrate", "--from", old_server.data_dir().string(), "--to", store}});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds apiota data"), std::string::npos) << again.err;
  EXPECT_EQ(status_of(client_b.Get(check_update_path("dev-m", "1.0.0", kSecret))), 200);
}

TEST(Migrate, ACommandLineWithoutBothPlacesIsAUsageError) {
  const CliOutcome no_to = run_cli({{"migrate", "--from", "/nonexistent"}});
  EXPECT_EQ(no_to.exit_code, 2);
  EXPECT_NE(no_to.err.find("--to"), std::string::npos) << no_to.err;
  const CliOutcome no_from = run_cli({{"migrate", "--to", "postgres://nobody@127.0.0.1/none"}});
  EXPECT_EQ(no_from.exit_code, 2);
  EXPECT_NE(no_from.err.find("--from"), std::string::npos) << no_from.err;
  const CliOutcome sqlite_target = run_cli({{"migrate", "--from", "/nonexistent", "--to", "./other"}});
  EXPECT_EQ(sqlite_target.exit_code, 2);
  EXPECT_NE(sqlite_target.err.find("PostgreSQL URI"), std::string::npos) << sqlite_target.err;
}

TEST(Migrate, AFolderThatIsNoInstallationIsRefused) {
  const std::string store = shared_postgres().create_database();
  const CliOutcome missing = run_cli({{"migrate", "--from", "/nonexistent/apiota-data", "--to", store}});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no apiota data folder"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace apiota::testing
