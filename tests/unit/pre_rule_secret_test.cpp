// Device secrets registered before the secret rule (domain/identifiers.h:
// only A-Z a-z 0-9 - . _ ~) keep working: such a device still authenticates
// and may re-run its first-boot registration with the same secret, while a
// new registration with such a secret is refused. The handlers run against a
// real SQLite store in a temporary folder, the device inserted as the store
// held it before the rule.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <random>
#include <string>

#include "api/error_response.h"
#include "api/auth.h"
#include "service/credential_hash.h"
#include "api/context.h"
#include "api/device/device_api.h"
#include "service/key_issuer.h"
#include "blob/blob_store.h"
#include "crypto/keyed_hash.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::api {
namespace {

constexpr const char* kPreRuleSecret = "old+secret&with#marks%1";

crypto::ServerKey test_key() {
  crypto::ServerKey key{};
  key.fill(0x5a);
  return key;
}

class PreRuleSecret : public ::testing::Test {
 protected:
  PreRuleSecret()
      : dir_(std::filesystem::temp_directory_path() / ("apiota-pre-rule-" + std::to_string(std::random_device{}()))),
        created_(std::filesystem::create_directories(dir_ / "blobs")),
        store_((dir_ / "apiota.db").string()),
        blobs_(dir_ / "blobs"),
        hasher_(test_key()),
        ctx_(store_, blobs_, hasher_, service::Settings{}) {
    service::bootstrap(store_, hasher_, domain::Plan{});
    provision_key_ = service::issue_key(store_, hasher_, service::kDefaultProjectId, store::KeyRole::Provision).plaintext;
    store::DeviceRecord device;
    device.device_id = "old-device";
    device.project_id = std::string(service::kDefaultProjectId);
    device.secret_salt = "0123456789abcdef";
    device.secret_hash = service::hash_device_secret(hasher_, device.secret_salt, kPreRuleSecret);
    device.registered_at = 1;
    EXPECT_EQ(store_.register_device(device, 100).outcome, store::RegisterOutcome::Created);
  }
  ~PreRuleSecret() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Request registration(const std::string& device_id, const std::string& secret) const {
    Request req;
    req.method = "POST";
    req.path = "/api/register";
    req.remote_address = "127.0.0.1";
    req.body = boost::json::serialize(boost::json::object{
        {"device_id", device_id}, {"device_secret", secret}, {"pk_key", provision_key_}, {"firmware_ver", "1.0.0"}});
    return req;
  }

  std::filesystem::path dir_;
  bool created_;
  store::sqlite::SqliteStore store_;
  blob::BlobStore blobs_;
  crypto::KeyedHasher hasher_;
  Context ctx_;
  std::string provision_key_;
};

TEST_F(PreRuleSecret, TheDeviceStillAuthenticates) {
  Request report;
  report.method = "POST";
  report.remote_address = "127.0.0.1";
  report.headers = {{"x-device-id", "old-device"}, {"x-device-secret", kPreRuleSecret}};
  EXPECT_EQ(ctx_.devices.authenticate(device_credentials(report, nullptr), report.remote_address).record.device_id,
            "old-device");
}

TEST_F(PreRuleSecret, TheDeviceMayRegisterAgainWithItsSecret) {
  Response res = device::register_device(ctx_, registration("old-device", kPreRuleSecret));
  EXPECT_EQ(res.status, 200u) << res.body;
  try {
    device::register_device(ctx_, registration("old-device", "old+secret&with#marks%2"));
    ADD_FAILURE() << "another secret took the id over";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::DeviceExists) << e.what();
  }
}

TEST_F(PreRuleSecret, ANewDeviceCannotRegisterWithSuchASecret) {
  try {
    device::register_device(ctx_, registration("new-device", kPreRuleSecret));
    ADD_FAILURE() << "registered";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidParameter) << e.what();
    EXPECT_NE(std::string(e.what()).find("A-Z a-z 0-9 - . _ ~"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace apiota::api
