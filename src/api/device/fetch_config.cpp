#include <boost/json.hpp>

#include "api/device/device_api.h"
#include "api/etag.h"
#include "crypto/digest.h"
#include "service/clock.h"
#include "service/json_text.h"

namespace apiota::api::device {

NoParameters read_nothing(const Request&) { return {}; }

Response fetch_config(Context& ctx, const Request& req, const service::AuthenticatedDevice& device,
                      const NoParameters&) {
  const service::DeviceConfig config = ctx.devices.config(device);
  boost::json::object out;
  out["config"] = config.config;
  if (config.updated_at > 0) {
    out["updated_at"] = service::iso8601(config.updated_at);
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
