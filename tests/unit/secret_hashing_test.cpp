// The keyed hashing scheme behind device secrets, API keys and download
// tokens (docs/security.md). Expected digests were computed independently
// with Python's hmac module.

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "api/auth.h"
#include "service/credential_hash.h"
#include "service/firmware_url.h"
#include "crypto/keyed_hash.h"

namespace apiota::api {
namespace {

crypto::ServerKey key_of(std::uint8_t fill) {
  crypto::ServerKey k{};
  k.fill(fill);
  return k;
}

TEST(SecretHashing, ApiKeyHashIsHmacSha256WithDomain) {
  crypto::KeyedHasher hasher(key_of(0x0b));
  EXPECT_EQ(service::hash_api_key(hasher, "hello"), "d446101d1d4cde0c084d2c55fbfb15ac7d0ad49ff0bdb835366ee54ad819ba86");
}

TEST(SecretHashing, DeviceSecretHashIsSaltedAndKeyed) {
  crypto::KeyedHasher hasher(key_of(0x0b));
  EXPECT_EQ(service::hash_device_secret(hasher, "salt123", "my-device-secret-1"),
            "22e49bb20adcdb128a9485d2252062d9dcfd708be505c293a46d3983ccf2bd32");
  EXPECT_NE(service::hash_device_secret(hasher, "salt124", "my-device-secret-1"),
            service::hash_device_secret(hasher, "salt123", "my-device-secret-1"));
  crypto::KeyedHasher other(key_of(0x0c));
  EXPECT_NE(service::hash_device_secret(other, "salt123", "my-device-secret-1"),
            service::hash_device_secret(hasher, "salt123", "my-device-secret-1"));
}

TEST(SecretHashing, DomainsSeparateUses) {
  crypto::KeyedHasher hasher(key_of(0x0b));
  EXPECT_NE(hasher.hex("api-key", "x"), hasher.hex("device-secret", "x"));
}

// One hasher serves every I/O and worker thread at once.
TEST(SecretHashing, ConcurrentHashesMatchTheSequentialOnes) {
  crypto::KeyedHasher hasher(key_of(0x0b));
  std::vector<std::string> expected;
  for (int i = 0; i < 64; ++i) expected.push_back(hasher.hex("device-secret", "message-" + std::to_string(i)));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 200; ++round) {
        for (int i = 0; i < 64; ++i) {
          if (hasher.hex("device-secret", "message-" + std::to_string(i)) != expected[i]) ++mismatches;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(expected[0], "2ef4379f50fc5fbda634b1005a5f4d03f6c98fd8e1e0d5e013f2dcdd4cbe6995");
}

TEST(SecretHashing, DeviceSecretVerification) {
  crypto::KeyedHasher hasher(key_of(0x21));
  store::DeviceRecord device;
  device.secret_salt = "abcdefgh";
  device.secret_hash = service::hash_device_secret(hasher, device.secret_salt, "correct-horse-battery");
  EXPECT_TRUE(service::device_secret_matches(hasher, device, "correct-horse-battery"));
  EXPECT_FALSE(service::device_secret_matches(hasher, device, "correct-horse-batterY"));
  EXPECT_FALSE(service::device_secret_matches(hasher, device, ""));
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(crypto::constant_time_equal("abc", "abc"));
  EXPECT_FALSE(crypto::constant_time_equal("abc", "abd"));
  EXPECT_FALSE(crypto::constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(crypto::constant_time_equal("", ""));
}

TEST(DownloadToken, SignatureIsTruncatedHmacOverNameDeviceAndExpiry) {
  crypto::KeyedHasher hasher(key_of(0x0b));
  service::DownloadToken token = service::sign_download(hasher, "fw-1.0.0-stable.bin", "dev-1", 1700000000, std::chrono::seconds(3000));
  EXPECT_EQ(token.expires_at, 1700006400);  // now + ttl, rounded up to the next hour
  EXPECT_EQ(token.signature, "768a5ca004b32e6988d5e91e119246ce");
}

TEST(DownloadToken, VerifiesOnlyItsOwnFileDeviceAndLifetime) {
  crypto::KeyedHasher hasher(key_of(0x33));
  service::DownloadToken token = service::sign_download(hasher, "fw-2.0.0-beta.bin", "dev-9", 1700000000, std::chrono::hours(1));
  EXPECT_TRUE(service::verify_download(hasher, "fw-2.0.0-beta.bin", token, 1700000000));
  EXPECT_FALSE(service::verify_download(hasher, "fw-2.0.0-stable.bin", token, 1700000000));
  EXPECT_FALSE(service::verify_download(hasher, "fw-2.0.0-beta.bin", token, token.expires_at));
  service::DownloadToken other_device = token;
  other_device.device_id = "dev-8";
  EXPECT_FALSE(service::verify_download(hasher, "fw-2.0.0-beta.bin", other_device, 1700000000));
  service::DownloadToken stretched = token;
  stretched.expires_at += 3600;
  EXPECT_FALSE(service::verify_download(hasher, "fw-2.0.0-beta.bin", stretched, 1700000000));
  crypto::KeyedHasher other_server(key_of(0x34));
  EXPECT_FALSE(service::verify_download(other_server, "fw-2.0.0-beta.bin", token, 1700000000));
}

TEST(FirmwareUrl, NamesAreProjectQualifiedOutsideTheDefaultProject) {
  EXPECT_EQ(service::release_filename("default", "1.1.0", domain::Channel::Stable), "fw-1.1.0-stable.bin");
  EXPECT_EQ(service::release_filename("acme", "1.1.0-rc.1", domain::Channel::Beta), "acme.fw-1.1.0-rc.1-beta.bin");
}

TEST(FirmwareUrl, PublicAndSignedUrls) {
  crypto::KeyedHasher hasher(key_of(0x0b));
  service::Settings settings;
  settings.public_url = "https://ota.example.com";
  settings.download_auth = service::DownloadAuth::Public;
  EXPECT_EQ(service::download_url(settings, hasher, "https://ota.example.com", "fw-1.0.0-stable.bin", "dev 1", 1700000000),
            "https://ota.example.com/api/firmware/fw-1.0.0-stable.bin");
  settings.download_auth = service::DownloadAuth::Signed;
  settings.download_url_ttl = std::chrono::seconds(3000);
  EXPECT_EQ(service::download_url(settings, hasher, "https://ota.example.com", "fw-1.0.0-stable.bin", "dev-1", 1700000000),
            "https://ota.example.com/api/firmware/fw-1.0.0-stable.bin?d=dev-1&exp=1700006400&sig="
            "768a5ca004b32e6988d5e91e119246ce");
}

}  // namespace
}  // namespace apiota::api
