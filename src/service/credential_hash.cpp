#include "service/credential_hash.h"

namespace apiota::service {
namespace {

constexpr std::string_view kDeviceSecretDomain = "device-secret";
constexpr std::string_view kApiKeyDomain = "api-key";

}  // namespace

std::string hash_device_secret(const crypto::KeyedHasher& hasher, std::string_view salt, std::string_view secret) {
  std::string message;
  message.reserve(salt.size() + 1 + secret.size());
  message.append(salt).append(":").append(secret);
  return hasher.hex(kDeviceSecretDomain, message);
}

std::string hash_api_key(const crypto::KeyedHasher& hasher, std::string_view key) {
  return hasher.hex(kApiKeyDomain, key);
}

bool device_secret_matches(const crypto::KeyedHasher& hasher, const store::DeviceRecord& device,
                           std::string_view secret) {
  return crypto::constant_time_equal(hash_device_secret(hasher, device.secret_salt, secret), device.secret_hash);
}

}  // namespace apiota::service
