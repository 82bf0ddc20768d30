#include "api/auth.h"
#include "api/device/device_api.h"

namespace apiota::api::device {
namespace {

std::optional<std::string> query_text(const Request& req, std::string_view name) {
  auto value = req.query_param(name);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

std::optional<Response> download(Context& ctx, const Request& req, service::StoreAccess access) {
  service::DownloadRequest request;
  request.filename = req.path_params.at(0);
  request.address = req.remote_address;
  if (req.header("authorization")) request.operator_key = bearer_key(req);
  if (req.query_param("device_id") || req.header("x-device-id")) {
    request.device_credentials = [&req] { return device_credentials(req, nullptr); };
  }
  request.token_device = query_text(req, "d");
  request.token_expiry = query_text(req, "exp");
  request.token_signature = query_text(req, "sig");
  std::optional<service::DownloadGrant> grant = ctx.devices.download(request, access);
  if (!grant) return std::nullopt;
  Response res;
  res.content_type = "application/octet-stream";
  res.file = FileBody{std::move(grant->blob), grant->release->sha256, grant->release->md5};
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + request.filename + "\"");
  return res;
}

}  // namespace

Response download_firmware(Context& ctx, const Request& req) {
  return *download(ctx, req, service::StoreAccess::Any);
}

std::optional<Response> download_firmware_from_memory(Context& ctx, const Request& req) {
  return download(ctx, req, service::StoreAccess::MemoryOnly);
}

}  // namespace apiota::api::device
