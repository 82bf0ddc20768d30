#include <boost/json.hpp>

#include "api/device/device_api.h"
#include "api/json_body.h"
#include "service/clock.h"

namespace apiota::api::device {

Response register_device(Context& ctx, const Request& req) {
  ctx.devices.limit_address(req.remote_address);
  boost::json::object body = parse_json_object(req.body);
  service::Registration registration;
  registration.device_id = required_param(req, &body, "device_id");
  registration.secret = required_param(req, &body, "device_secret");
  registration.provisioning_key = required_param(req, &body, "pk_key");
  registration.firmware_version = param(req, &body, "firmware_ver");
  const store::DeviceRecord device = ctx.devices.register_device(registration, req.remote_address);
  Response res;
  res.body = boost::json::serialize(boost::json::object{
      {"success", true},
      {"device_id", device.device_id},
      {"registered_at", service::iso8601(device.registered_at)},
  });
  return res;
}

}  // namespace apiota::api::device
