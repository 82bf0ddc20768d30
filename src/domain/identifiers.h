#pragma once

// Syntax checks for identifiers that arrive from outside (devices, operators,
// URLs). They decide only whether a string is acceptable to store and to
// embed in paths, logs and JSON; they do not look anything up.
//
// is_valid_device_id(): 1..64 characters of [A-Za-z0-9._:-], which covers
//   MAC-address and chip-id based names such as "esp32-AA:BB:CC:DD:EE:FF".
// is_valid_project_id(): 1..32 characters of [a-z0-9-], starting with
//   [a-z0-9], so it is safe as a folder or file name component.
// is_valid_device_secret(): kMinDeviceSecretLength..kMaxDeviceSecretLength
//   characters of A-Z a-z 0-9 - . _ ~ (RFC 3986 "unreserved"): the seed's
//   sketch puts the secret into a query string unencoded, and only these
//   arrive there as sent ('+' becomes a space, '&' and '#' end it, '%'
//   starts an escape). The lower bound keeps secrets out of brute-force
//   range; the upper bound caps hashing work. New registrations and imports
//   must meet it.
// is_pre_rule_device_secret(): the same lengths of any printable, non-space
//   ASCII (0x21..0x7e), which registration accepted before that rule. A
//   device registered with such a secret keeps it: authentication never
//   checks a secret's characters, and such a secret may register its device
//   again, but it enrolls no new device.
// is_valid_tag(): 1..32 characters of [a-z0-9._-], a device group label
//   used for rollout targeting and pins.
//
// Each returns true when the input is acceptable, false otherwise. All are
// pure and safe to call concurrently.

#include <cstddef>
#include <string_view>

namespace apiota::domain {

inline constexpr std::size_t kMaxDeviceIdLength = 64;
inline constexpr std::size_t kMaxProjectIdLength = 32;
inline constexpr std::size_t kMinDeviceSecretLength = 16;
inline constexpr std::size_t kMaxDeviceSecretLength = 128;

bool is_valid_device_id(std::string_view id);

bool is_valid_project_id(std::string_view id);

bool is_valid_device_secret(std::string_view secret);
bool is_pre_rule_device_secret(std::string_view secret);
inline constexpr std::size_t kMaxTagLength = 32;
bool is_valid_tag(std::string_view tag);

}  // namespace apiota::domain
