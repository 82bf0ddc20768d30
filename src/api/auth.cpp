#include "api/auth.h"

#include <cctype>

#include "api/cookies.h"
#include "api/cross_site.h"
#include "api/error_response.h"
#include "api/json_body.h"

namespace apiota::api {
namespace {

std::string credential(const Request& req, const boost::json::object* body, std::string_view name,
                       std::string_view header_name) {
  if (auto value = param(req, body, name); value && !value->empty()) return *value;
  if (auto value = req.header(header_name); value && !value->empty()) return std::string(*value);
  throw ApiError(ErrorCode::MissingParameter, std::string(name) + " is required");
}

}  // namespace

service::DeviceCredentials device_credentials(const Request& req, const boost::json::object* body) {
  std::string device_id = credential(req, body, "device_id", "x-device-id");
  std::string secret = credential(req, body, "device_secret", "x-device-secret");
  return {std::move(device_id), std::move(secret)};
}

std::optional<std::string_view> presented_device_id(const Request& req) {
  const std::optional<std::string_view> id = req.query_param("device_id");
  if (!id || id->empty()) return std::nullopt;
  return id;
}

std::optional<std::string_view> presented_secret(const Request& req) {
  std::optional<std::string_view> secret = req.query_param("device_secret");
  if (!secret || secret->empty()) secret = req.header("x-device-secret");
  if (!secret || secret->empty() || secret->size() > kMaxParamLength) return std::nullopt;
  return secret;
}

std::optional<std::string> bearer_key(const Request& req) {
  auto header = req.header("authorization");
  constexpr std::string_view kBearer = "bearer ";
  if (!header || header->size() <= kBearer.size()) return std::nullopt;
  for (std::size_t i = 0; i < kBearer.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>((*header)[i])) != kBearer[i]) return std::nullopt;
  }
  return std::string(header->substr(kBearer.size()));
}

service::AdminPrincipal authenticate_admin(Context& ctx, const Request& req) {
  const std::optional<std::string> key = bearer_key(req);
  if (!key) {
    if (auto token = request_cookie(req, kSessionCookie)) {
      refuse_cross_site(req, ctx.settings.public_url);
      auto session = ctx.sessions.find(*token);
      if (!session) throw ApiError(ErrorCode::Unauthorized, "the console session has ended; sign in again");
      return std::move(session->admin);
    }
  }
  return ctx.access.authenticate_admin(key ? std::optional<std::string_view>(*key) : std::nullopt,
                                       req.remote_address);
}

}  // namespace apiota::api
