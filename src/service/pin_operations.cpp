#include "service/pin_operations.h"

#include <boost/json.hpp>

#include "service/render.h"
#include "service/api_error.h"
#include "service/audit.h"
#include "domain/identifiers.h"
#include "domain/semver.h"

namespace apiota::service {
namespace {

void check_subject(store::Store& store, std::string_view project_id, domain::PinScope scope,
                   std::string_view subject) {
  if (scope == domain::PinScope::Tag) {
    if (!domain::is_valid_tag(subject)) throw ApiError(ErrorCode::InvalidParameter, "invalid tag");
    return;
  }
  auto device = store.find_device(subject);
  if (!device || device->project_id != project_id) throw ApiError(ErrorCode::NotFound, "no such device");
}

std::string subject_name(domain::PinScope scope, std::string_view subject) {
  return std::string(domain::to_string(scope)) + ":" + std::string(subject);
}

std::optional<store::PinRecord> existing_pin(store::Store& store, std::string_view project_id,
                                             domain::PinScope scope, std::string_view subject) {
  for (auto& pin : store.list_pins(project_id)) {
    if (pin.scope == scope && pin.subject == subject) return pin;
  }
  return std::nullopt;
}

boost::json::value pin_json(const std::optional<store::PinRecord>& pin) {
  return pin ? boost::json::value(render(*pin)) : boost::json::value(nullptr);
}

}  // namespace

store::PinRecord set_pin(store::Store& store, env::Env& env, std::string_view project_id, domain::PinScope scope,
                         std::string_view subject, std::string_view version, std::string_view actor) {
  check_subject(store, project_id, scope, subject);
  auto parsed = domain::parse_semver(version);
  if (!parsed) throw ApiError(ErrorCode::InvalidVersion, "version is not a semantic version");
  store::PinRecord pin{std::string(project_id), scope, std::string(subject), parsed->to_string(),
                       env.now_ms()};
  auto before = existing_pin(store, project_id, scope, subject);
  store.set_pin(pin);
  record_audit(store, env, project_id, actor, "pin.set", subject_name(scope, subject), pin_json(before), render(pin));
  return pin;
}

void clear_pin(store::Store& store, env::Env& env, std::string_view project_id, domain::PinScope scope, std::string_view subject,
               std::string_view actor) {
  auto before = existing_pin(store, project_id, scope, subject);
  if (!before || !store.clear_pin(project_id, scope, subject)) throw ApiError(ErrorCode::NotFound, "no such pin");
  record_audit(store, env, project_id, actor, "pin.clear", subject_name(scope, subject), pin_json(before), nullptr);
}

}  // namespace apiota::service
