// `apiota devices import` against the real binary: devices enrolled from CSV
// (a header row is recognised) while the server runs can poll at once with
// their secrets; ids already registered with the same secret are left alone;
// ids registered with another secret or in another project are conflicts
// that stop the whole import unless --skip-conflicts is given; bad lines,
// secrets a device could not send unencoded and the plan's device limit stop
// the import with a message naming the problem.

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
                       "# a factory's provisioning list\n"
                       "device_id,secret,firmware_version\n"
                       "factory-0,secret-for-factory-0,1.0.0\r\n"
                       "factory-1,already-registered-secret\n"
                       "\n"
                       "factory-2,secret-for-factory-2\n");
  auto run = server_.cli({"devices", "import", csv, "--channel", "beta"});
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find(R"({"created":2,"existing":1,"skipped":0})"), std::string::npos) << run.out;

  auto ok = client_.Get(check_update_path("factory-0", "1.0.0", "secret-for-factory-0"));
  EXPECT_EQ(status_of(ok), 200);
  EXPECT_TRUE(is_error(client_.Get(check_update_path("factory-2", "1.0.0", "wrong-secret-for-factory-2")), 401,
                       "INVALID_SECRET"));
  // The existing device is left as it was.
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

// An id registered with another secret, or in another project, is a
// conflict: each is named with its line, nothing of the file is imported and
// the command fails, unless --skip-conflicts imports the other lines.
TEST_F(DeviceImport, ConflictsAreReportedAndStopTheWholeImport) {
  ASSERT_EQ(register_device(client_, "mine-1", "secret-of-mine-1-0000", server_.admin_key()), 200);
  ASSERT_EQ(server_.cli({"projects", "create", "other"}).exit_code, 0);
  const std::string other_key = last_line(server_.cli({"keys", "create", "--role", "provision", "--project", "other"}).out);
  ASSERT_EQ(register_device(client_, "theirs-1", "secret-of-theirs-1-00", other_key), 200);
  const std::string csv = write_csv("conflicts.csv",
                                    "device_id,device_secret\n"
                                    "new-1,secret-for-new-1-0000\n"
                                    "mine-1,a-different-secret-0000\n"
                                    "theirs-1,secret-of-theirs-1-00\n"
                                    "new-2,secret-for-new-2-0000\n"
                                    "new-2,another-secret-for-new-2\n");

  auto refused = server_.cli({"devices", "import", csv});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  for (const char* expected : {"line 3: mine-1", "line 4: theirs-1", "line 6: new-2"}) {
    EXPECT_NE(refused.out.find(expected), std::string::npos) << expected << " in:\n" << refused.out;
  }
  EXPECT_EQ(refused.out.find("line 2"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("nothing was imported"), std::string::npos) << refused.out;
  EXPECT_TRUE(is_error(client_.Get(check_update_path("new-1", "1.0.0", "secret-for-new-1-0000")), 401,
                       "DEVICE_NOT_FOUND"));

  auto skipped = server_.cli({"devices", "import", csv, "--skip-conflicts"});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.out;
  EXPECT_NE(skipped.out.find(R"({"created":2,"existing":0,"skipped":3})"), std::string::npos) << skipped.out;
  EXPECT_NE(skipped.out.find("line 3: mine-1"), std::string::npos) << skipped.out;
  EXPECT_EQ(status_of(client_.Get(check_update_path("new-1", "1.0.0", "secret-for-new-1-0000"))), 200);
  EXPECT_EQ(status_of(client_.Get(check_update_path("new-2", "1.0.0", "secret-for-new-2-0000"))), 200);
  // The devices in conflict keep their own secrets and projects.
  EXPECT_EQ(status_of(client_.Get(check_update_path("mine-1", "1.0.0", "secret-of-mine-1-0000"))), 200);
  EXPECT_EQ(status_of(client_.Get(check_update_path("theirs-1", "1.0.0", "secret-of-theirs-1-00"))), 200);
  EXPECT_TRUE(is_error(client_.Get("/api/admin/devices/theirs-1", bearer(server_.admin_key())), 404, "NOT_FOUND"));
}

TEST_F(DeviceImport, SecretsMustSurviveAnUnencodedQueryString) {
  for (const std::string secret : {"secret%with%percent", "secret&with&ampersand", "secret#with#hash0",
                                   "secret+with+plus00", "secret*with*star00"}) {
    auto run = server_.cli({"devices", "import", write_csv("s.csv", "dev-s," + secret + "\n")});
    EXPECT_EQ(run.exit_code, 1) << secret << ": " << run.out;
    EXPECT_NE(run.out.find("line 1: device_secret must be 16-128 characters of A-Z a-z 0-9 - . _ ~"),
              std::string::npos)
        << run.out;
  }
  auto ok = server_.cli({"devices", "import", write_csv("t.csv", "dev-t,Tilde~dot.Under_score-09\n")});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(status_of(client_.Get(check_update_path("dev-t", "1.0.0", "Tilde~dot.Under_score-09"))), 200);
}

}  // namespace
}  // namespace apiota::testing
