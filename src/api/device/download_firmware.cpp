#include <charconv>
#include <functional>
#include <optional>
#include <string>

#include "api/api_error.h"
#include "api/auth.h"
#include "service/clock.h"
#include "api/device/device_api.h"
#include "service/firmware_url.h"
#include "service/fleet_cache.h"

namespace apiota::api::device {
namespace {

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// What the download check needs of the device a token names.
struct DeviceFacts {
  std::string project_id;
  bool blocked = false;
};
using DeviceLookup = std::function<std::optional<DeviceFacts>(const std::string& device_id)>;

// Who may download: an admin key of the release's project; a device of that
// project with its credentials; a signed URL from check-update; or anyone
// when downloads are public. A revoked release is served to operators only.
void authorize_download(Context& ctx, const Request& req, const store::ReleaseRecord& release,
                        const DeviceLookup& lookup) {
  if (req.header("authorization")) {
    AdminPrincipal admin = authenticate_admin(ctx, req);
    require_same_project(admin, release.project_id);
    return;
  }
  if (release.state == "revoked") {
    throw ApiError(ErrorCode::Forbidden, "this release was revoked; call check-update again");
  }
  if (ctx.settings.download_auth == service::DownloadAuth::Public) return;
  std::string device_id;
  if (req.query_param("device_id") || req.header("x-device-id")) {
    device_id = authenticate_device(ctx, req, nullptr).device_id;
  } else {
    auto d = req.query_param("d");
    auto exp = req.query_param("exp");
    auto sig = req.query_param("sig");
    if (!d || !exp || !sig) {
      throw ApiError(ErrorCode::Unauthorized, "use the url returned by check-update (it carries a download token)");
    }
    auto expires_at = to_int(*exp);
    service::DownloadToken token{std::string(*d), expires_at.value_or(0), std::string(*sig)};
    if (!expires_at || !service::verify_download(ctx.hasher, release.filename, token, service::now_ms() / 1000)) {
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


Response serve_release(Context& ctx, const store::ReleaseRecord& release, const std::string& filename) {
  auto blob = ctx.blobs.open(release.sha256);
  if (!blob) throw ApiError(ErrorCode::InternalError, "the firmware file is missing from storage");
  Response res;
  res.content_type = "application/octet-stream";
  res.file = FileBody{std::move(blob), release.sha256, release.md5};
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return res;
}

}  // namespace

Response download_firmware(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  const std::string& filename = req.path_params.at(0);
  ctx.fleet.sync();
  auto release = ctx.fleet.load_release_file(filename);
  if (!release) throw ApiError(ErrorCode::FirmwareNotFound, "no such firmware");
  authorize_download(ctx, req, *release, [&](const std::string& device_id) -> std::optional<DeviceFacts> {
    auto dev = ctx.store.find_device(device_id);
    if (!dev) return std::nullopt;
    return DeviceFacts{dev->project_id, dev->blocked};
  });
  return serve_release(ctx, *release, filename);
}

std::optional<Response> download_firmware_cached(Context& ctx, const Request& req) {
  // Only signed or public URLs of cached releases and devices; anything else
  // (operators, device credentials) goes to download_firmware().
  if (req.header("authorization") || req.query_param("device_id") || req.header("x-device-id")) return std::nullopt;
  const std::string& filename = req.path_params.at(0);
  ctx.fleet.sync();
  auto release = ctx.fleet.find_release_file(filename);
  if (!release) return std::nullopt;
  std::optional<service::DeviceEntry> device;
  if (ctx.settings.download_auth == service::DownloadAuth::Signed && release->state != "revoked") {
    auto named = req.query_param("d");
    if (!named) return std::nullopt;
    device = ctx.fleet.find_device(*named);
    if (!device) return std::nullopt;
  }
  limit_address(ctx, req);
  authorize_download(ctx, req, *release, [&](const std::string& device_id) -> std::optional<DeviceFacts> {
    if (!device || device_id != *req.query_param("d")) return std::nullopt;
    return DeviceFacts{device->project_id, device->blocked};
  });
  return serve_release(ctx, *release, filename);
}

}  // namespace apiota::api::device
