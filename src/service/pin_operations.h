#pragma once
// Pins, shared by the admin API and the CLI: hold one device, or every
// device carrying a tag, at an exact version (domain/release_decision.h rule
// b: a device pin beats a tag pin, and a pin beats rollouts and revocation).
//
// set_pin() throws ApiError: INVALID_PARAMETER for a bad tag, NOT_FOUND for
// a device outside the project,
// INVALID_VERSION for a version that is not semantic. clear_pin() throws
// NOT_FOUND when there is no such pin. Both append an audit record.

#include <string_view>

#include "domain/pin_scope.h"
#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

store::PinRecord set_pin(store::Store& store, env::Env& env, std::string_view project_id, domain::PinScope scope,
                         std::string_view subject, std::string_view version, std::string_view actor);
void clear_pin(store::Store& store, env::Env& env, std::string_view project_id, domain::PinScope scope, std::string_view subject,
               std::string_view actor);

}  // namespace apiota::service
