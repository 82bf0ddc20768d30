#pragma once
// The authentication guard of the admin routes, applied where the routes
// are registered (http/api_routes.cpp): it authenticates the operator's key
// (api/auth.h authenticate_admin(): RATE_LIMITED while the address is locked
// out, UNAUTHORIZED, FORBIDDEN for a provisioning key) before anything else
// of the request is read, then calls the handler for that operator.

#include "api/auth.h"
#include "api/context.h"
#include "api/request.h"

namespace apiota::api::admin {

using AdminHandler = Response (*)(Context&, const service::AdminPrincipal&, const Request&);

inline auto admin_route(AdminHandler handler) {
  return [handler](Context& ctx, const Request& req) -> Response {
    const service::AdminPrincipal admin = authenticate_admin(ctx, req);
    return handler(ctx, admin, req);
  };
}

}  // namespace apiota::api::admin
