// Failed-authentication limits against the real binary (docs/security.md,
// "Guessing"), with rate limiting off as in every black-box server: wrong
// secrets for one device, sent from many loopback addresses over every path
// that checks a device secret, lock that device out (429 + Retry-After, the
// same answer for a right and a wrong secret) while the address it last
// authenticated from keeps being served, and the device is served again from
// anywhere once the lock-out ends; wrong admin keys, and wrong provisioning
// keys at registration, lock out the address that sent them and no other.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"
#include "support/sourced_request.h"

namespace apiota::testing {
namespace {

constexpr const char* kDevice = "guess-target";
constexpr const char* kSecret = "guess-limit-secret-0123";
constexpr const char* kWrongSecret = "not-the-secret-0123456";
const std::string kWrongKey = "pk_live_" + std::string(32, 'x');

// 127.0.0.N: all of 127.0.0.0/8 is loopback on Linux.
std::string loopback(int n) { return "127.0.0." + std::to_string(n); }

std::string error_of(const RawResponse& r) {
  boost::system::error_code ec;
  auto value = boost::json::parse(r.body, ec);
  if (ec || !value.is_object() || !value.as_object().contains("error")) return "<no error field: " + r.body + ">";
  return std::string(value.at("error").as_string());
}

::testing::AssertionResult answered(const RawResponse& r, int status, const std::string& code = "") {
  if (r.status != status || (!code.empty() && error_of(r) != code)) {
    return ::testing::AssertionFailure() << "expected " << status << " " << code << ", got " << r.status_line << " "
                                         << r.body;
  }
  return ::testing::AssertionSuccess();
}

// 429 RATE_LIMITED whose Retry-After is whole seconds in [1, max_seconds].
::testing::AssertionResult locked_out(const RawResponse& r, int max_seconds) {
  if (auto base = answered(r, 429, "RATE_LIMITED"); !base) return base;
  const std::string retry_after = r.header("Retry-After");
  if (retry_after.empty() || retry_after.find_first_not_of("0123456789") != std::string::npos ||
      retry_after.size() > 6) {
    return ::testing::AssertionFailure() << "Retry-After is '" << retry_after << "'";
  }
  const int seconds = std::stoi(retry_after);
  if (seconds < 1 || seconds > max_seconds) {
    return ::testing::AssertionFailure() << "Retry-After " << seconds << " outside [1, " << max_seconds << "]";
  }
  return ::testing::AssertionSuccess();
}

SourcedRequest json_post(const std::string& target, const boost::json::object& body) {
  return {"POST", target, {{"Content-Type", "application/json"}}, boost::json::serialize(body)};
}

SourcedRequest admin_call(const std::string& target, const std::string& key) {
  return {"GET", target, {{"Authorization", "Bearer " + key}}, ""};
}

SourcedRequest registration(const std::string& device_id, const std::string& secret, const std::string& pk_key) {
  return json_post(
      "/api/register",
      {{"device_id", device_id}, {"device_secret", secret}, {"pk_key", pk_key}, {"firmware_ver", "1.0.0"}});
}

// A path that checks the device's secret, and how it answers a wrong one
// when the device is not locked out.
struct SecretPath {
  std::string name;
  std::function<SourcedRequest(const std::string& secret)> request;
  int wrong_status;
  std::string wrong_code;
};

class DeviceSecretGuessing : public ::testing::Test {
 protected:
  // Long enough for the checks made during the lock-out on a loaded machine.
  static constexpr int kLockoutSeconds = 6;

  void SetUp() override {
    auto prov = server_.cli({"keys", "create", "--role", "provision"});
    ASSERT_EQ(prov.exit_code, 0) << prov.out;
    provision_key_ = last_line(prov.out);
    ASSERT_EQ(register_device(client_, kDevice, kSecret, provision_key_), 200);
    ASSERT_EQ(register_device(client_, "bystander", kSecret, provision_key_), 200);
    EspImageSpec spec;
    spec.version = "1.1.0";
    spec.payload_bytes = 4096;
    auto up = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), "1.1.0");
    ASSERT_EQ(status_of(up), 200) << (up ? up->body : "");
    // The device polls once from 127.0.0.1: its last good address, and the
    // poll puts it in the server's in-memory cache (the fast path).
    auto poll = client_.Get(check_update_path(kDevice, "1.0.0", kSecret));
    ASSERT_EQ(status_of(poll), 200);
    const std::string url = json_of(poll->body).at("url").as_string().c_str();
    firmware_path_ = url.substr(server_.base_url().size(), url.find('?') - server_.base_url().size());
  }

  std::vector<SecretPath> secret_paths() const {
    const std::string device = kDevice;
    const std::string firmware = firmware_path_;
    const std::string key = provision_key_;
    return {
        {"check-update",
         [=](const std::string& s) {
           return SourcedRequest{"GET", check_update_path(device, "1.0.0", s), {}, ""};
         },
         401, "INVALID_SECRET"},
        {"config",
         [=](const std::string& s) {
           return SourcedRequest{"GET", "/api/config?device_id=" + device + "&device_secret=" + s, {}, ""};
         },
         401, "INVALID_SECRET"},
        {"ota-log",
         [=](const std::string& s) {
           return json_post("/api/ota-log", {{"device_id", device}, {"device_secret", s}, {"status", "checking"}});
         },
         401, "INVALID_SECRET"},
        {"download",
         [=](const std::string& s) {
           return SourcedRequest{"GET", firmware + "?device_id=" + device + "&device_secret=" + s, {}, ""};
         },
         401, "INVALID_SECRET"},
        {"register", [=](const std::string& s) { return registration(device, s, key); }, 409, "DEVICE_EXISTS"},
    };
  }

  ServerProcess server_{ServerSetup{.config_toml = "[limits]\nauth_failure_burst = 10\nauth_lockout_seconds = " +
                                                   std::to_string(kLockoutSeconds) + "\n"}};
  httplib::Client client_ = server_.client();
  std::string provision_key_;
  std::string firmware_path_;
};

TEST_F(DeviceSecretGuessing, WrongSecretsFromManyAddressesLockTheDeviceOutButNotItsOwnAddress) {
  const auto paths = secret_paths();
  // The burst: ten wrong secrets, each from its own address, spread over
  // every path that checks a device secret. Each is counted and answered as
  // before.
  for (int i = 0; i < 10; ++i) {
    const SecretPath& path = paths[static_cast<std::size_t>(i) % paths.size()];
    SCOPED_TRACE(path.name + " from " + loopback(2 + i));
    EXPECT_TRUE(answered(request_from(loopback(2 + i), server_.port(), path.request(kWrongSecret)), path.wrong_status,
                         path.wrong_code));
  }
  // Then every path refuses the device from any other address, whether the
  // secret is right or wrong: the secret is not checked.
  for (std::size_t i = 0; i < paths.size(); ++i) {
    SCOPED_TRACE(paths[i].name);
    const int n = 20 + 2 * static_cast<int>(i);
    EXPECT_TRUE(locked_out(request_from(loopback(n), server_.port(), paths[i].request(kWrongSecret)), kLockoutSeconds));
    EXPECT_TRUE(locked_out(request_from(loopback(n + 1), server_.port(), paths[i].request(kSecret)), kLockoutSeconds));
  }
  // The device itself, at the address it last authenticated from, is served.
  EXPECT_EQ(status_of(client_.Get(check_update_path(kDevice, "1.0.0", kSecret))), 200);
  EXPECT_EQ(status_of(client_.Get(std::string("/api/config?device_id=") + kDevice + "&device_secret=" + kSecret)), 200);
  // Another device is not affected.
  EXPECT_TRUE(answered(request_from(loopback(40), server_.port(),
                                    SourcedRequest{"GET", check_update_path("bystander", "1.0.0", kSecret), {}, ""}),
                       200));

  // Once the lock-out ends the device is served from a new address too.
  const auto new_address_served = [&] {
    return request_from(loopback(41), server_.port(), paths[0].request(kSecret)).status == 200;
  };
  EXPECT_TRUE(eventually(new_address_served, std::chrono::seconds(kLockoutSeconds + 2)));
}

class KeyGuessing : public ::testing::Test {
 protected:
  ServerProcess server_;  // the documented defaults: 10 failures, 60 s lock-out
  httplib::Client client_ = server_.client();
};

TEST_F(KeyGuessing, WrongAdminKeysLockOutTheirAddressOnly) {
  const std::string attacker = loopback(2);
  for (int i = 0; i < 9; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(answered(request_from(attacker, server_.port(), admin_call("/api/admin/devices", kWrongKey)), 401,
                         "UNAUTHORIZED"));
  }
  // An upload's key is checked the same way (the tenth failure).
  SourcedRequest upload{"POST",
                        "/api/firmware/upload",
                        {{"Authorization", "Bearer " + kWrongKey}, {"Content-Type", "multipart/form-data; boundary=b"}},
                        "--b--\r\n"};
  EXPECT_TRUE(answered(request_from(attacker, server_.port(), upload), 401, "UNAUTHORIZED"));

  EXPECT_TRUE(locked_out(request_from(attacker, server_.port(), admin_call("/api/admin/project", kWrongKey)), 60));
  // The address is locked out, right key or not.
  EXPECT_TRUE(
      locked_out(request_from(attacker, server_.port(), admin_call("/api/admin/project", server_.admin_key())), 60));
  // Other addresses are not.
  EXPECT_TRUE(
      answered(request_from(loopback(3), server_.port(), admin_call("/api/admin/project", server_.admin_key())), 200));
  EXPECT_EQ(status_of(client_.Get("/api/admin/project", bearer(server_.admin_key()))), 200);
}

TEST_F(KeyGuessing, WrongProvisioningKeysLockOutRegistrationAndAdminFromThatAddress) {
  auto prov = server_.cli({"keys", "create", "--role", "provision"});
  ASSERT_EQ(prov.exit_code, 0) << prov.out;
  const std::string provision_key = last_line(prov.out);
  const std::string attacker = loopback(4);
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(
        answered(request_from(attacker, server_.port(), registration("new-" + std::to_string(i), kSecret, kWrongKey)),
                 401, "INVALID_PK_KEY"));
  }
  EXPECT_TRUE(locked_out(request_from(attacker, server_.port(), registration("new-a", kSecret, provision_key)), 60));
  // One budget per address for every key: the admin API is locked for it too.
  EXPECT_TRUE(
      locked_out(request_from(attacker, server_.port(), admin_call("/api/admin/project", server_.admin_key())), 60));
  // Another address registers normally.
  EXPECT_TRUE(answered(request_from(loopback(5), server_.port(), registration("new-b", kSecret, provision_key)), 200));
}

}  // namespace
}  // namespace apiota::testing
