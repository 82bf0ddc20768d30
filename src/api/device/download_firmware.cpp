#include <charconv>

#include "api/api_error.h"
#include "api/auth.h"
#include "api/clock.h"
#include "api/device/device_api.h"
#include "api/firmware_url.h"

namespace apiota::api::device {
namespace {

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Who may download: an admin key of the release's project; a device of that
// project with its credentials; a signed URL from check-update; or anyone
// when downloads are public. A revoked release is served to operators only.
void authorize_download(Context& ctx, const Request& req, const store::ReleaseRecord& release) {
  if (req.header("authorization")) {
    AdminPrincipal admin = authenticate_admin(ctx, req);
    require_same_project(admin, release.project_id);
    return;
  }
  if (release.state == "revoked") {
    throw ApiError(ErrorCode::Forbidden, "this release was revoked; call check-update again");
  }
  if (ctx.settings.download_auth == DownloadAuth::Public) return;
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
    DownloadToken token{std::string(*d), expires_at.value_or(0), std::string(*sig)};
    if (!expires_at || !verify_download(ctx.hasher, release.filename, token, now_ms() / 1000)) {
      throw ApiError(ErrorCode::Forbidden, "the download token is invalid or expired; call check-update again");
    }
    device_id = token.device_id;
  }
  auto dev = ctx.store.find_device(device_id);
  if (!dev || dev->project_id != release.project_id) {
    throw ApiError(ErrorCode::FirmwareNotFound, "no such firmware");
  }
  if (dev->blocked) throw ApiError(ErrorCode::DeviceBlocked, "this device is blocked");
}

}  // namespace

Response download_firmware(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  const std::string& filename = req.path_params.at(0);
  auto release = ctx.store.find_release_by_filename(filename);
  if (!release) throw ApiError(ErrorCode::FirmwareNotFound, "no such firmware");
  authorize_download(ctx, req, *release);
  auto blob = ctx.blobs.open(release->sha256);
  if (!blob) throw ApiError(ErrorCode::InternalError, "the firmware file is missing from storage");
  Response res;
  res.content_type = "application/octet-stream";
  res.file = FileBody{std::move(blob->fd), blob->size, release->sha256, release->md5};
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return res;
}

}  // namespace apiota::api::device
