#include <boost/json.hpp>

#include "api/admin/admin_api.h"
#include "api/admin/admin_support.h"
#include "api/admin/query_params.h"
#include "api/error_response.h"
#include "api/auth.h"
#include "api/json_body.h"
#include "service/clock.h"
#include "service/effective_config.h"
#include "service/key_issuer.h"
#include "service/render.h"

namespace apiota::api::admin {
namespace {

// The device named in the path, which must belong to the key's project; a
// device of another project is reported exactly like a missing one.
store::DeviceRecord project_device(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  auto dev = ctx.administration.find_device(req.path_params.at(0));
  if (!dev || dev->project_id != admin.project.id) throw ApiError(ErrorCode::NotFound, "no such device");
  return std::move(*dev);
}

boost::json::object config_object(const std::optional<store::ConfigRecord>& record) {
  boost::json::object out;
  out["config"] = record ? boost::json::parse(record->json) : boost::json::object{};
  out["updated_at"] = record ? boost::json::value(service::iso8601(record->updated_at)) : boost::json::value(nullptr);
  return out;
}

Response config_response(const std::optional<store::ConfigRecord>& record) {
  return json_response(config_object(record));
}

// block takes an optional {"reason": "..."}; unblock drops the reason.
Response set_blocked(Context& ctx, const service::AdminPrincipal& admin, const Request& req, bool blocked) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  boost::json::object body = req.body.empty() ? boost::json::object{} : parse_json_object(req.body);
  const std::string reason = blocked ? param(req, &body, "reason").value_or("") : "";
  return json_response(service::render(ctx.administration.set_blocked(std::move(dev), blocked, reason, admin.key.id)));
}

}  // namespace

Response project_info(Context& ctx, const service::AdminPrincipal& admin, const Request&) {
  boost::json::object out = service::render(admin.project);
  out["device_count"] = ctx.administration.count_devices(admin.project.id);
  return json_response(out);
}

Response list_keys(Context& ctx, const service::AdminPrincipal& admin, const Request&) {
  boost::json::array keys;
  for (const auto& k : ctx.administration.list_keys(std::string_view(admin.project.id))) keys.push_back(service::render(k));
  return json_response(boost::json::object{{"keys", std::move(keys)}});
}

Response create_key(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  boost::json::object body = parse_json_object(req.body);
  auto role = service::parse_role(required_param(req, &body, "role"));
  if (!role) throw ApiError(ErrorCode::InvalidParameter, "role must be admin or provision");
  service::IssuedKey issued =
      ctx.administration.issue_key(admin.project.id, *role, param(req, &body, "label").value_or(""), admin.key.id);
  boost::json::object out = service::render(issued.record);
  out["key"] = issued.plaintext;
  Response res = json_response(out);
  res.status = 201;
  return res;
}

Response label_key(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  boost::json::object body = parse_json_object(req.body);
  const auto* label = body.if_contains("label");
  if (!label || label->is_null()) throw ApiError(ErrorCode::MissingParameter, "label is required (\"\" removes it)");
  if (!label->is_string()) throw ApiError(ErrorCode::InvalidParameter, "label must be a string");
  return json_response(service::render(ctx.administration.label_key(
      req.path_params.at(0), std::string_view(admin.project.id), std::string_view(label->as_string()), admin.key.id)));
}

Response revoke_key(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  const std::string& key_id = req.path_params.at(0);
  ctx.administration.revoke_key(key_id, std::string_view(admin.project.id), admin.key.id);
  return json_response(boost::json::object{{"success", true}, {"id", key_id}});
}

Response get_device(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  boost::json::object out = service::render(dev);
  out["tags"] = boost::json::value_from(ctx.administration.device_tags(dev.device_id));
  return json_response(out);
}

Response set_device_tags(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  boost::json::object body = parse_json_object(req.body);
  auto tags = string_list(body, "tags");
  if (!tags) throw ApiError(ErrorCode::MissingParameter, "tags is required (an array, possibly empty)");
  auto after = ctx.administration.replace_tags(dev, *tags, admin.key.id);
  return json_response(boost::json::object{{"device_id", dev.device_id}, {"tags", boost::json::value_from(after)}});
}

Response block_device(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  return set_blocked(ctx, admin, req, true);
}

Response unblock_device(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  return set_blocked(ctx, admin, req, false);
}

Response set_device_channel(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  boost::json::object body = parse_json_object(req.body);
  const std::string channel = required_param(req, &body, "channel");
  return json_response(service::render(ctx.administration.set_channel(std::move(dev), channel, admin.key.id)));
}

Response device_logs(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  boost::json::array logs;
  for (const auto& l : ctx.administration.ota_logs(dev.device_id, int_query(req, "limit", 100, 10000))) {
    logs.push_back(service::render(l));
  }
  return json_response(boost::json::object{{"device_id", dev.device_id}, {"logs", std::move(logs)}});
}

Response device_attempts(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  boost::json::array attempts;
  const std::int64_t limit = bounded_int_query(req, "limit", 100, 1, 1000);
  for (const auto& a : ctx.administration.device_attempts(dev.device_id, limit)) attempts.push_back(service::render(a));
  return json_response(boost::json::object{{"device_id", dev.device_id}, {"attempts", std::move(attempts)}});
}

Response get_device_config(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  boost::json::object out = config_object(ctx.administration.device_config(dev.device_id));
  out["merged"] = service::effective_config(ctx.store, dev.project_id, dev.device_id).config;
  return json_response(out);
}

Response put_device_config(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::DeviceRecord dev = project_device(ctx, admin, req);
  return config_response(ctx.administration.set_device_config(dev, req.body, admin.key.id));
}

Response get_project_config(Context& ctx, const service::AdminPrincipal& admin, const Request&) {
  return config_response(ctx.administration.project_config(admin.project.id));
}

Response put_project_config(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  return config_response(ctx.administration.set_project_config(admin.project.id, req.body, admin.key.id));
}

}  // namespace apiota::api::admin
