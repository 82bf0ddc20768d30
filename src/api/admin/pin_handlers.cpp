#include <boost/json.hpp>

#include "api/admin/admin_api.h"
#include "api/admin/admin_support.h"
#include "api/error_response.h"
#include "api/auth.h"
#include "api/json_body.h"
#include "domain/pin_scope.h"
#include "service/render.h"

namespace apiota::api::admin {
namespace {

struct PinTarget {
  domain::PinScope scope;
  std::string subject;
};

// {"device_id": ...} or {"tag": ...}, in the body or the query string.
PinTarget pin_target(const Request& req, const boost::json::object* body) {
  auto device = param(req, body, "device_id");
  auto tag = param(req, body, "tag");
  if (device.has_value() == tag.has_value()) {
    throw ApiError(ErrorCode::MissingParameter, "name exactly one of device_id or tag");
  }
  return device ? PinTarget{domain::PinScope::Device, *device} : PinTarget{domain::PinScope::Tag, *tag};
}

}  // namespace

Response list_pins(Context& ctx, const service::AdminPrincipal& admin, const Request&) {
  boost::json::array pins;
  for (const auto& p : ctx.administration.list_pins(admin.project.id)) pins.push_back(service::render(p));
  return json_response(boost::json::object{{"pins", std::move(pins)}});
}

Response put_pin(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  boost::json::object body = parse_json_object(req.body);
  PinTarget target = pin_target(req, &body);
  std::string version = required_param(req, &body, "version");
  return json_response(service::render(
      ctx.administration.set_pin(admin.project.id, target.scope, target.subject, version, admin.key.id)));
}

Response delete_pin(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  PinTarget target = pin_target(req, nullptr);
  ctx.administration.clear_pin(admin.project.id, target.scope, target.subject, admin.key.id);
  return json_response(boost::json::object{{"success", true}});
}

}  // namespace apiota::api::admin
