#include "service/firmware_url.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <fmt/format.h>

#include "service/key_issuer.h"
#include "crypto/keyed_hash.h"

namespace apiota::service {
namespace {

constexpr std::string_view kDownloadDomain = "download";
constexpr std::int64_t kExpiryGranularity = 3600;

std::string signature_for(const crypto::KeyedHasher& hasher, std::string_view filename, std::string_view device_id,
                          std::int64_t expires_at) {
  std::string message = fmt::format("{}\n{}\n{}", filename, device_id, expires_at);
  return hasher.hex(kDownloadDomain, message).substr(0, 32);
}

}  // namespace

std::string release_filename(std::string_view project_id, std::string_view version, domain::Channel channel) {
  const std::string_view name = domain::to_string(channel);
  if (project_id == kDefaultProjectId) return fmt::format("fw-{}-{}.bin", version, name);
  return fmt::format("{}.fw-{}-{}.bin", project_id, version, name);
}

DownloadToken sign_download(const crypto::KeyedHasher& hasher, std::string_view filename, std::string_view device_id,
                            std::int64_t now_unix, std::chrono::seconds ttl) {
  std::int64_t expires_at = now_unix + ttl.count();
  expires_at = (expires_at + kExpiryGranularity - 1) / kExpiryGranularity * kExpiryGranularity;
  return {std::string(device_id), expires_at, signature_for(hasher, filename, device_id, expires_at)};
}

bool verify_download(const crypto::KeyedHasher& hasher, std::string_view filename, const DownloadToken& token,
                     std::int64_t now_unix) {
  if (token.expires_at <= now_unix) return false;
  return crypto::constant_time_equal(signature_for(hasher, filename, token.device_id, token.expires_at),
                                     token.signature);
}

std::string download_url(const Settings& settings, const crypto::KeyedHasher& hasher, std::string_view base,
                         std::string_view filename, std::string_view device_id, std::int64_t now_unix) {
  std::string url = std::string(base) + "/api/firmware/" + std::string(filename);
  if (settings.download_auth == DownloadAuth::Public) return url;
  DownloadToken token = sign_download(hasher, filename, device_id, now_unix, settings.download_url_ttl);
  url += "?d=" + boost::urls::encode(token.device_id, boost::urls::unreserved_chars);
  url += fmt::format("&exp={}&sig={}", token.expires_at, token.signature);
  return url;
}

}  // namespace apiota::service
