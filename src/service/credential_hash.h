#pragma once
// What is stored of a credential: the keyed hash (crypto/keyed_hash.h, under
// the server key) of a device secret with its per-device salt, and of an API
// key. Neither secret nor key is ever stored. device_secret_matches()
// compares in constant time.

#include <string>
#include <string_view>

#include "crypto/keyed_hash.h"
#include "store/records.h"

namespace apiota::service {

inline constexpr std::string_view kKeyPrefix = "pk_live_";

std::string hash_device_secret(const crypto::KeyedHasher& hasher, std::string_view salt, std::string_view secret);
std::string hash_api_key(const crypto::KeyedHasher& hasher, std::string_view key);
// True when `secret` is the device's secret.
bool device_secret_matches(const crypto::KeyedHasher& hasher, const store::DeviceRecord& device,
                           std::string_view secret);

}  // namespace apiota::service
