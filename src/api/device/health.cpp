#include <boost/json.hpp>

#include "api/device/device_api.h"

namespace apiota::api::device {

Response health(Context& ctx, const Request&) {
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - ctx.started);
  Response res;
  res.body = boost::json::serialize(boost::json::object{
      {"status", "ok"},
      {"version", APIOTA_VERSION},
      {"uptime", uptime.count()},
  });
  return res;
}

}  // namespace apiota::api::device
