#include <boost/json.hpp>

#include <algorithm>

#include "api/api_error.h"
#include "api/auth.h"
#include "service/clock.h"
#include "api/device/device_api.h"
#include "api/etag.h"
#include "service/json_text.h"
#include "crypto/digest.h"
#include "domain/config_merge.h"

namespace apiota::api::device {
namespace {

boost::json::object stored_object(const std::optional<store::ConfigRecord>& record) {
  if (!record) return {};
  boost::system::error_code ec;
  auto value = boost::json::parse(record->json, ec);
  if (ec || !value.is_object()) throw ApiError(ErrorCode::InternalError, "stored config is corrupt");
  return std::move(value.as_object());
}

}  // namespace

Response fetch_config(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  store::DeviceRecord dev = authenticate_device(ctx, req, nullptr);
  auto project_config = ctx.store.project_config(dev.project_id);
  auto device_config = ctx.store.device_config(dev.device_id);

  boost::json::object out;
  out["config"] = domain::merge_config(stored_object(project_config), stored_object(device_config));
  std::int64_t updated_at = std::max(project_config ? project_config->updated_at : 0,
                                     device_config ? device_config->updated_at : 0);
  if (updated_at > 0) {
    out["updated_at"] = service::iso8601(updated_at);
  } else {
    out["updated_at"] = nullptr;
  }

  Response res;
  res.body = service::to_json_text(out);
  // Appended piecewise: GCC 12 at -O3 misreports `"\"" + string` (-Wrestrict).
  std::string etag(1, '"');
  etag.append(crypto::to_hex(crypto::sha256(res.body)), 0, 32).push_back('"');
  res.headers.emplace_back("ETag", etag);
  res.headers.emplace_back("Cache-Control", "no-cache");
  if (auto inm = req.header("if-none-match"); inm && if_none_match_matches(*inm, etag)) {
    res.status = 304;
    res.body.clear();
  }
  return res;
}

}  // namespace apiota::api::device
