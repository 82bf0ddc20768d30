// Several apiota nodes on one PostgreSQL store (docs/scale-out.md), on
// loopback, with a PostgreSQL server the harness starts itself: a device
// registered on one node polls another, and downloads from it firmware
// uploaded to the first; operator changes made on one node,
// by its admin API or the command line, are honoured by the other within a
// second; a node must carry the store's server key; PostgreSQL going away
// is answered 503 with Retry-After and recovered from by itself; a node
// killed mid-traffic loses no acknowledged report.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_run.h"
#include "support/firmware_images.h"
#include "support/fleet_records.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/postgres_cluster.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "node-test-secret-0001";

ServerSetup node_on(const std::string& store) {
  ServerSetup setup;
  setup.store = store;
  return setup;
}

// A further node of the store `first` serves: its server key, no admin key of its own.
ServerSetup joining(const ServerProcess& first, const std::string& store) {
  ServerSetup setup = node_on(store);
  setup.server_key = first.data_dir() / "secret.key";
  setup.expect_admin_key = false;
  return setup;
}

std::string provisioning_key(const ServerProcess& node) {
  auto created = node.cli({"keys", "create", "--role", "provision"});
  EXPECT_EQ(created.exit_code, 0) << created.out;
  return last_line(created.out);
}

// An ota-log body for the test's device secret. Appended piecewise: GCC 12
// misreports `std::string + "..."` chains here (-Warray-bounds).
std::string report_body(const std::string& device_id, const std::string& status, const std::string& message = {}) {
  std::string body = R"({"device_id":")";
  body.append(device_id).append(R"(","device_secret":")").append(kSecret).append(R"(","status":")").append(status);
  if (!message.empty()) body.append(R"(","message":")").append(message);
  return body.append(R"("})");
}

int poll_status(const ServerProcess& node, const std::string& device_id) {
  auto res = node.client().Get(check_update_path(device_id, "1.0.0", kSecret));
  return res ? res->status : -1;
}

TEST(ScaleOut, ADeviceRegisteredOnOneNodePollsAnotherAndChangesOnEitherReachBoth) {
  const std::string store = shared_postgres().create_database();
  ServerProcess a(node_on(store));
  ServerProcess b(joining(a, store));
  auto client_a = a.client();
  ASSERT_EQ(register_device(client_a, "dev-1", kSecret, provisioning_key(a)), 200);
  EXPECT_EQ(poll_status(b, "dev-1"), 200);

  // The admin API on A blocks it; B refuses it within a second.
  auto blocked = client_a.Post("/api/admin/devices/dev-1/block", bearer(a.admin_key()), "", "application/json");
  ASSERT_TRUE(blocked);
  ASSERT_EQ(blocked->status, 200) << blocked->body;
  EXPECT_TRUE(eventually([&] { return poll_status(b, "dev-1") == 403; }, 1s));

  // The command line, on A's data folder and the store, unblocks it; B serves it again.
  auto unblocked = a.cli({"devices", "unblock", "dev-1"});
  ASSERT_EQ(unblocked.exit_code, 0) << unblocked.out;
  EXPECT_TRUE(eventually([&] { return poll_status(b, "dev-1") == 200; }, 1s));

  // And the other way round: B's admin API (A's admin key, the store's) blocks it for A.
  auto from_b = b.client().Post("/api/admin/devices/dev-1/block", bearer(a.admin_key()), "", "application/json");
  ASSERT_TRUE(from_b);
  EXPECT_EQ(from_b->status, 200) << from_b->body;
  EXPECT_TRUE(eventually([&] { return poll_status(a, "dev-1") == 403; }, 1s));
}

TEST(ScaleOut, FirmwareUploadedToOneNodeIsOfferedAndServedWholeByAnother) {
  const std::string store = shared_postgres().create_database();
  ServerProcess a(node_on(store));
  ServerProcess b(joining(a, store));
  auto client_a = a.client();
  ASSERT_EQ(register_device(client_a, "dev-4", kSecret, provisioning_key(a)), 200);
  const auto image = firmware_image("1.1.0", 1'500'000);  // more than one of the store's 1 MiB chunks
  auto uploaded = upload_firmware(client_a, a.admin_key(), image, "1.1.0");
  ASSERT_TRUE(uploaded);
  ASSERT_EQ(uploaded->status, 200) << uploaded->body;
  const std::string sha256(json_of(uploaded->body).at("sha256").as_string());

  auto client_b = b.client();
  std::string url;
  ASSERT_TRUE(eventually(
      [&] {
        auto res = client_b.Get(check_update_path("dev-4", "1.0.0", kSecret));
        if (!res || res->status != 200) return false;
        const auto answer = json_of(res->body);
        if (!answer.at("update").as_bool()) return false;
        url = answer.at("url").as_string();
        return true;
      },
      1s));
  ASSERT_TRUE(url.starts_with(b.base_url())) << url;
  EXPECT_FALSE(std::filesystem::exists(b.data_dir() / "firmware" / (sha256 + ".bin")));
  auto file = client_b.Get(url.substr(b.base_url().size()));
  ASSERT_TRUE(file);
  ASSERT_EQ(file->status, 200) << file->body;
  EXPECT_TRUE(file->body == as_string(image)) << "B served other bytes";
  EXPECT_TRUE(std::filesystem::exists(b.data_dir() / "firmware" / (sha256 + ".bin")));  // kept for the next one
  auto again = client_b.Get(url.substr(b.base_url().size()), {{"Range", "bytes=1048570-1048580"}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 206);
  EXPECT_TRUE(again->body == as_string(image).substr(1048570, 11));
}

TEST(ScaleOut, ANodeWithoutTheStoresServerKeyIsRefusedAtStart) {
  const std::string store = shared_postgres().create_database();
  ServerProcess a(node_on(store));
  TempFolder elsewhere("apiota-scale-out-key");
  const auto data = elsewhere.path() / "data";
  auto refused = run_cli({{"serve", "--listen", "127.0.0.1:0", "--store", store, "--data", data.string()}});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("there is no server key in"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("copy secret.key from a node that serves this store"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(data / "secret.key"));  // the key it made for a moment is gone

  // Another installation's key is refused the same way.
  {
    ServerProcess stranger(node_on(shared_postgres().create_database()));
    std::filesystem::create_directories(data);
    std::filesystem::copy_file(stranger.data_dir() / "secret.key", data / "secret.key");
  }
  auto mismatched = run_cli({{"devices", "list", "--store", store, "--data", data.string()}});
  EXPECT_EQ(mismatched.exit_code, 1);
  EXPECT_NE(mismatched.err.find("is not the server key the PostgreSQL store was made with"), std::string::npos)
      << mismatched.err;
}

TEST(ScaleOut, PostgresGoingAwayIsAnswered503WithRetryAfterAndRecoveredFromByItself) {
  PostgresCluster cluster;
  const std::string store = cluster.create_database();
  ServerProcess a(node_on(store));
  auto client = a.client();
  ASSERT_EQ(register_device(client, "dev-2", kSecret, provisioning_key(a)), 200);
  ASSERT_EQ(poll_status(a, "dev-2"), 200);

  cluster.stop();
  // An admin read needs the store every time.
  auto down = client.Get("/api/admin/devices/dev-2", bearer(a.admin_key()));
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 503) << down->body;
  EXPECT_EQ(down->get_header_value("Retry-After"), "5");
  EXPECT_EQ(json_of(down->body).at("error"), "SERVICE_UNAVAILABLE");
  auto report = client.Post("/api/ota-log", report_body("dev-2", "checking"), "application/json");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, 503) << report->body;

  cluster.start();
  EXPECT_TRUE(eventually(
      [&] {
        auto up = client.Get("/api/admin/devices/dev-2", bearer(a.admin_key()));
        return up && up->status == 200;
      },
      10s));
  EXPECT_EQ(poll_status(a, "dev-2"), 200);
}

TEST(ScaleOut, ANodeKilledMidTrafficLeavesTheOtherServingAndLosesNoAcknowledgedReport) {
  const std::string store = shared_postgres().create_database();
  ServerProcess a(node_on(store));
  ServerProcess b(joining(a, store));
  auto client_a = a.client();
  ASSERT_EQ(register_device(client_a, "dev-3", kSecret, provisioning_key(a)), 200);

  std::atomic<int> acknowledged{0};
  std::atomic<bool> stop{false};
  std::thread reporter([&] {
    auto client = a.client();
    while (!stop) {
      auto res = client.Post("/api/ota-log", report_body("dev-3", "downloading", "m" + std::to_string(acknowledged)),
                             "application/json");
      if (res && res->status == 200) ++acknowledged;
    }
  });
  EXPECT_TRUE(eventually([&] { return acknowledged >= 20; }, 10s));
  a.kill_hard();
  stop = true;
  reporter.join();

  EXPECT_EQ(poll_status(b, "dev-3"), 200);
  auto logs = b.client().Get("/api/admin/devices/dev-3/logs?limit=10000", bearer(a.admin_key()));
  ASSERT_TRUE(logs);
  ASSERT_EQ(logs->status, 200) << logs->body;
  const auto body = json_of(logs->body);
  const auto& entries = body.at("logs").as_array();
  EXPECT_GE(static_cast<int>(entries.size()), acknowledged.load());
}

}  // namespace
}  // namespace apiota::testing
