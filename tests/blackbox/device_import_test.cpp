// `apiota devices import` against the real binary: devices enrolled from CSV
// while the server runs can poll at once with their secrets; existing ids
// are left alone; bad lines and the plan's device limit stop the import with
// a message naming the problem.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

class DeviceImport : public ::testing::Test {
 protected:
  DeviceImport() : client_(server_.client()) {}

  std::string write_csv(const std::string& name, const std::string& text) {
    auto path = server_.data_dir().parent_path() / name;
    std::ofstream(path) << text;
    return path.string();
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(DeviceImport, ImportedDevicesPollWithTheirSecrets) {
  ASSERT_EQ(register_device(client_, "factory-1", "already-registered-secret", server_.admin_key()), 200);
  auto csv = write_csv("devices.csv",
                       "# device_id,secret[,firmware_version]\n"
                       "factory-0,secret-for-factory-0,1.0.0\r\n"
                       "factory-1,a-different-secret-1\n"
                       "\n"
                       "factory-2,secret-for-factory-2\n");
  auto run = server_.cli({"devices", "import", csv, "--channel", "beta"});
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find(R"({"created":2,"existing":1})"), std::string::npos) << run.out;

  auto ok = client_.Get(check_update_path("factory-0", "1.0.0", "secret-for-factory-0"));
  EXPECT_EQ(status_of(ok), 200);
  EXPECT_TRUE(is_error(client_.Get(check_update_path("factory-2", "1.0.0", "wrong-secret-for-factory-2")), 401,
                       "INVALID_SECRET"));
  // The existing device keeps its own secret.
  EXPECT_EQ(status_of(client_.Get(check_update_path("factory-1", "1.0.0", "already-registered-secret"))), 200);
  auto device = admin_get(server_, "/api/admin/devices/factory-0");
  EXPECT_EQ(device.at("channel"), "beta");
  EXPECT_EQ(device.at("firmware_version"), "1.0.0");
  EXPECT_EQ(admin_get(server_, "/api/admin/audit?limit=1").at("audit").at(0).at("action"), "device.import");
}

TEST_F(DeviceImport, BadLinesAndThePlanLimitStopTheImport) {
  auto bad_secret = server_.cli({"devices", "import", write_csv("a.csv", "good-1,secret-good-000001\nbad-1,short\n")});
  EXPECT_NE(bad_secret.exit_code, 0);
  EXPECT_NE(bad_secret.out.find("line 2: device_secret"), std::string::npos) << bad_secret.out;
  auto bad_id = server_.cli({"devices", "import", write_csv("b.csv", "bad id,secret-good-000001\n")});
  EXPECT_NE(bad_id.exit_code, 0);
  EXPECT_NE(bad_id.out.find("line 1: device_id"), std::string::npos) << bad_id.out;
  auto bad_fields = server_.cli({"devices", "import", write_csv("c.csv", "only-an-id\n")});
  EXPECT_NE(bad_fields.exit_code, 0);
  EXPECT_NE(bad_fields.out.find("line 1: expected"), std::string::npos) << bad_fields.out;
  EXPECT_NE(server_.cli({"devices", "import", "/nonexistent.csv"}).exit_code, 0);
  // Nothing of a refused batch was stored.
  EXPECT_TRUE(is_error(client_.Get(check_update_path("good-1", "1.0.0", "secret-good-000001")), 401,
                       "DEVICE_NOT_FOUND"));

  ASSERT_EQ(server_.cli({"projects", "plan", "default", "--max-devices", "2"}).exit_code, 0);
  auto over = server_.cli(
      {"devices", "import", write_csv("d.csv", "p-1,secret-good-000001\np-2,secret-good-000002\np-3,secret-good-000003\n")});
  EXPECT_NE(over.exit_code, 0);
  EXPECT_NE(over.out.find("plan allows 2 devices"), std::string::npos) << over.out;
  EXPECT_EQ(admin_get(server_, "/api/admin/devices").at("devices").as_array().size(), 0u);
}

}  // namespace
}  // namespace apiota::testing
