#include <boost/json.hpp>

#include "api/error_response.h"
#include "api/device/device_api.h"
#include "api/json_body.h"
#include "api/request_origin.h"

namespace apiota::api::device {

Poll read_poll(const Request& req) {
  std::string version_text = required_param(req, nullptr, "version");
  auto current = domain::parse_reported_version(version_text);
  if (!current) throw ApiError(ErrorCode::InvalidVersion, "version is not a semantic version (e.g. 1.2.0)");
  return {{}, *current};
}

// Rendered for each request (never cached): the URL carries this request's
// origin when no public URL is configured.
Response check_update(Context& ctx, const Request& req, const service::AuthenticatedDevice& device,
                      const Poll& poll) {
  const service::UpdateOffer offer = ctx.devices.check_update(device, poll.current, req.remote_address,
                                                              [&] { return download_base(ctx.settings, req); });
  Response res;
  if (offer.release == nullptr) {
    res.body = R"({"update":false})";
    return res;
  }
  boost::json::object out{
      {"update", true},
      {"version", offer.release->version},
      {"url", offer.url},
      {"sha256", offer.release->sha256},
      {"size", offer.release->size},
      {"channel", domain::to_string(offer.release->channel)},
  };
  if (offer.rollback) out["rollback"] = true;
  res.body = boost::json::serialize(out);
  return res;
}

}  // namespace apiota::api::device
