// DeviceService::download (device_service.h): who may download a release's
// file, answered from memory for signed and public URLs of cached releases.
#include <charconv>
#include <functional>

#include "service/firmware_files.h"
#include "service/api_error.h"
#include "service/device_service.h"
#include "service/firmware_url.h"

namespace apiota::service {

namespace {

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// What the download check needs of the device a request names.
struct DeviceFacts {
  std::string project_id;
  bool blocked = false;
};
using DeviceLookup = std::function<std::optional<DeviceFacts>(const std::string& device_id)>;

void authorize_download(AccessControl& access, DeviceService& devices, const Settings& settings,
                        const crypto::KeyedHasher& hasher, std::int64_t now_ms, const DownloadRequest& request,
                        const store::ReleaseRecord& release, const DeviceLookup& lookup) {
  if (request.operator_key) {
    const auto& key = *request.operator_key;
    AdminPrincipal admin =
        access.authenticate_admin(key ? std::optional<std::string_view>(*key) : std::nullopt, request.address);
    require_same_project(admin, release.project_id);
    return;
  }
  if (release.state == domain::ReleaseState::Revoked) {
    throw ApiError(ErrorCode::Forbidden, "this release was revoked; call check-update again");
  }
  if (settings.download_auth == DownloadAuth::Public) return;
  std::string device_id;
  if (request.device_credentials) {
    device_id = devices.authenticate(request.device_credentials(), request.address).record.device_id;
  } else {
    if (!request.token_device || !request.token_expiry || !request.token_signature) {
      throw ApiError(ErrorCode::Unauthorized, "use the url returned by check-update (it carries a download token)");
    }
    auto expires_at = to_int(*request.token_expiry);
    DownloadToken token{*request.token_device, expires_at.value_or(0), *request.token_signature};
    if (!expires_at || !verify_download(hasher, release.filename, token, now_ms / 1000)) {
      throw ApiError(ErrorCode::Forbidden, "the download token is invalid or expired; call check-update again");
    }
    device_id = token.device_id;
  }
  auto dev = lookup(device_id);
  if (!dev || dev->project_id != release.project_id) {
    throw ApiError(ErrorCode::FirmwareNotFound, "no such firmware");
  }
  if (dev->blocked) throw ApiError(ErrorCode::DeviceBlocked, "this device is blocked");
}

}  // namespace

std::optional<DownloadGrant> DeviceService::download(const DownloadRequest& request, StoreAccess access) {
  DownloadGrant grant;
  DeviceLookup lookup;
  std::optional<DeviceEntry> device;  // the cached device a signed URL names
  if (access == StoreAccess::MemoryOnly) {
    // Only signed or public URLs of cached releases and devices; operators
    // and device credentials need the store.
    if (request.operator_key || request.device_credentials) return std::nullopt;
    fleet_.sync();
    grant.release = fleet_.find_release_file(request.filename);
    if (!grant.release) return std::nullopt;
    if (settings_.download_auth == DownloadAuth::Signed && grant.release->state != domain::ReleaseState::Revoked) {
      if (!request.token_device) return std::nullopt;
      device = fleet_.find_device(*request.token_device);
      if (!device) return std::nullopt;
    }
    limit_address(request.address);
    lookup = [&](const std::string& device_id) -> std::optional<DeviceFacts> {
      if (!device || device_id != *request.token_device) return std::nullopt;
      return DeviceFacts{device->project_id, device->blocked};
    };
  } else {
    limit_address(request.address);
    fleet_.sync();
    grant.release = fleet_.load_release_file(request.filename);
    if (!grant.release) throw ApiError(ErrorCode::FirmwareNotFound, "no such firmware");
    lookup = [&](const std::string& device_id) -> std::optional<DeviceFacts> {
      auto dev = store_.find_device(device_id);
      if (!dev) return std::nullopt;
      return DeviceFacts{dev->project_id, dev->blocked};
    };
  }
  authorize_download(access_, *this, settings_, hasher_, env_.now_ms(), request, *grant.release, lookup);
  grant.blob = open_firmware(blobs_, store_, grant.release->sha256);
  if (!grant.blob) throw ApiError(ErrorCode::InternalError, "the firmware file is missing from storage");
  return grant;
}

}  // namespace apiota::service
