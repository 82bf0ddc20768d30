#pragma once
// Firmware file names and the download URLs check-update hands out.
//
// File names are unambiguous across projects: the default project's files are
// "fw-<version>-<channel>.bin" (the contract's example), any other project's
// are "<project>.fw-<version>-<channel>.bin". Project ids cannot contain '.',
// and a version always starts with a digit, so no two releases share a name.
//
// In Signed mode the URL carries `?d=<device>&exp=<unix>&sig=<hmac>`: an HMAC
// (server key) over file name, device id and expiry, truncated to 128 bits.
// The expiry is rounded up to the next hour so a device polling repeatedly
// gets the same URL. See docs/security.md for the threat model.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "service/settings.h"
#include "crypto/keyed_hash.h"
#include "domain/channel.h"

namespace apiota::service {

std::string release_filename(std::string_view project_id, std::string_view version, domain::Channel channel);

struct DownloadToken {
  std::string device_id;
  std::int64_t expires_at = 0;  // Unix seconds
  std::string signature;        // 32 lowercase hex chars
};

DownloadToken sign_download(const crypto::KeyedHasher& hasher, std::string_view filename, std::string_view device_id,
                            std::int64_t now_unix, std::chrono::seconds ttl);
// True when the token was issued for this file and device and has not expired.
bool verify_download(const crypto::KeyedHasher& hasher, std::string_view filename, const DownloadToken& token,
                     std::int64_t now_unix);

// The absolute URL for a device: base (api/request_origin.h download_base())
// + /api/firmware/<name> (+ token).
std::string download_url(const Settings& settings, const crypto::KeyedHasher& hasher, std::string_view base,
                         std::string_view filename, std::string_view device_id, std::int64_t now_unix);

}  // namespace apiota::service
