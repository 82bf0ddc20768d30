#include <boost/json.hpp>

#include "api/admin/admin_api.h"
#include "api/admin/admin_support.h"
#include "api/admin/release_fields.h"
#include "api/error_response.h"
#include "api/auth.h"
#include "api/json_body.h"
#include "service/changelog.h"
#include "service/render.h"

namespace apiota::api::admin {
namespace {

std::optional<std::int64_t> id_field(const boost::json::object& body, std::string_view name) {
  auto value = number_field(body, name);
  if (!value) return std::nullopt;
  if (*value != static_cast<double>(static_cast<std::int64_t>(*value)) || *value <= 0) {
    throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be a release id");
  }
  return static_cast<std::int64_t>(*value);
}

const boost::json::object* object_field(const boost::json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_object()) throw ApiError(ErrorCode::InvalidParameter, std::string(name) + " must be an object");
  return &v->as_object();
}

// {"max_failure_rate": 0.2, "window": 20, "min_attempts": 5, "stuck_after_seconds": 3600}, all optional.
service::SafetyChange safety_field(const boost::json::object& body) {
  service::SafetyChange change;
  const auto* safety = object_field(body, "safety");
  if (!safety) return change;
  change.max_failure_rate = number_field(*safety, "max_failure_rate");
  change.window = whole_field(*safety, "window");
  change.min_attempts = whole_field(*safety, "min_attempts");
  change.stuck_after_s = whole_field(*safety, "stuck_after_seconds");
  return change;
}

// [{"percent": 1, "min_duration_seconds": 3600, "min_successes": 10}, ...]; [] clears.
std::optional<std::vector<store::RolloutStageRecord>> stages_field(const boost::json::object& body) {
  const auto* v = body.if_contains("stages");
  if (!v || v->is_null()) return std::nullopt;
  return stages_from_json(*v);
}

bool has_safety(const service::SafetyChange& s) {
  return s.max_failure_rate || s.window || s.min_attempts || s.stuck_after_s;
}

// pause / resume / revoke: a state change with an optional {"reason": "..."}.
Response change_state(Context& ctx, const service::AdminPrincipal& admin, const Request& req,
                      domain::ReleaseState state, std::string_view action) {
  boost::json::object body = req.body.empty() ? boost::json::object{} : parse_json_object(req.body);
  service::ReleaseChange change;
  change.state = state;
  change.reason = param(req, &body, "reason").value_or("");
  change.rollback_target_id = id_field(body, "rollback_target_id");
  return json_response(
      service::render(ctx.administration.change_release(admin.project.id, path_id(req), change, admin.key.id, action)));
}

}  // namespace

Response list_releases(Context& ctx, const service::AdminPrincipal& admin, const Request&) {
  boost::json::array releases;
  for (const auto& r : ctx.administration.list_releases(admin.project.id)) releases.push_back(service::render(r));
  return json_response(boost::json::object{{"releases", std::move(releases)}});
}

Response get_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  auto release = ctx.administration.find_release(admin.project.id, path_id(req));
  if (!release) throw ApiError(ErrorCode::NotFound, "no such release");
  return json_response(service::render(*release));
}

Response patch_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  boost::json::object body = parse_json_object(req.body);
  service::ReleaseChange change;
  change.notes = param(req, &body, "notes");
  change.rollout_percent = number_field(body, "rollout_percent");
  change.rollback_target_id = id_field(body, "rollback_target_id");
  change.rollout_tags = string_list(body, "rollout_tags");
  change.rollout_devices = string_list(body, "rollout_devices");
  change.safety = safety_field(body);
  change.stages = stages_field(body);
  if (!change.notes && !change.rollout_percent && !change.rollback_target_id && !change.rollout_tags &&
      !change.rollout_devices && !has_safety(change.safety) && !change.stages) {
    throw ApiError(ErrorCode::MissingParameter,
                   "give notes, rollout_percent, stages, rollout_tags, rollout_devices, safety or rollback_target_id");
  }
  return json_response(service::render(
      ctx.administration.change_release(admin.project.id, path_id(req), change, admin.key.id, "release.edit")));
}

Response pause_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  return change_state(ctx, admin, req, domain::ReleaseState::Paused, "release.pause");
}

Response resume_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  return change_state(ctx, admin, req, domain::ReleaseState::Active, "release.resume");
}

Response revoke_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  return change_state(ctx, admin, req, domain::ReleaseState::Revoked, "release.revoke");
}

Response promote_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  boost::json::object body = parse_json_object(req.body);
  std::string channel = required_param(req, &body, "channel");
  Response res = json_response(
      service::render(ctx.administration.promote_release(admin.project.id, path_id(req), channel, admin.key.id)));
  res.status = 201;
  return res;
}

Response delete_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  store::ReleaseRecord deleted = ctx.administration.delete_release(admin.project.id, path_id(req), admin.key.id);
  return json_response(boost::json::object{{"success", true}, {"id", deleted.id}});
}

Response changelog(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  boost::json::array releases = ctx.administration.changelog(admin.project.id);
  auto format = req.query_param("format").value_or("json");
  if (format == "markdown") {
    Response res;
    res.content_type = "text/markdown; charset=utf-8";
    res.body = service::changelog_markdown(releases, admin.project.id);
    return res;
  }
  if (format != "json") throw ApiError(ErrorCode::InvalidParameter, "format must be json or markdown");
  return json_response(boost::json::object{{"project_id", admin.project.id}, {"releases", std::move(releases)}});
}

}  // namespace apiota::api::admin
