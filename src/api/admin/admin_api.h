#pragma once
// The admin API: operations an operator performs with an admin key
// (`Authorization: Bearer pk_live_...`), always confined to the key's
// project. Each route, its parameters, answers and errors are documented in
// docs/api.md, "Admin API". Every handler is called for an operator the
// admin guard (api/admin/admin_guard.h, applied in http/api_routes.cpp) has
// already authenticated. Like the device handlers, these block on the store
// and throw ApiError on refusal.

#include "api/context.h"
#include "api/request.h"
#include "service/access_control.h"

namespace apiota::api::admin {

// GET    /api/admin/project
Response project_info(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/keys
Response list_keys(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// POST   /api/admin/keys
Response create_key(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// PATCH  /api/admin/keys/{id}
Response label_key(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// DELETE /api/admin/keys/{id}
Response revoke_key(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/devices
Response list_devices(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/devices/{id}
Response get_device(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// POST   /api/admin/devices/{id}/block
Response block_device(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// POST   /api/admin/devices/{id}/unblock
Response unblock_device(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// PUT    /api/admin/devices/{id}/channel
Response set_device_channel(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// PUT    /api/admin/devices/{id}/tags
Response set_device_tags(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/devices/{id}/logs
Response device_logs(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/devices/{id}/attempts
Response device_attempts(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/devices/{id}/config
Response get_device_config(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// PUT    /api/admin/devices/{id}/config
Response put_device_config(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/config
Response get_project_config(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// PUT    /api/admin/config
Response put_project_config(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/releases
Response list_releases(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/releases/{id}
Response get_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// PATCH  /api/admin/releases/{id}
Response patch_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// POST   /api/admin/releases/{id}/pause
Response pause_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// POST   /api/admin/releases/{id}/resume
Response resume_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// POST   /api/admin/releases/{id}/revoke
Response revoke_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// POST   /api/admin/releases/{id}/promote
Response promote_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// DELETE /api/admin/releases/{id}
Response delete_release(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/pins
Response list_pins(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// PUT    /api/admin/pins
Response put_pin(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// DELETE /api/admin/pins?device_id=|tag=
Response delete_pin(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/changelog[?format=markdown]
Response changelog(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/audit
Response list_audit(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/stats[?bucket=hour|day&span=1..720]
Response fleet_stats(Context& ctx, const service::AdminPrincipal& admin, const Request& req);
// GET    /api/admin/releases/{id}/progress
Response release_progress(Context& ctx, const service::AdminPrincipal& admin, const Request& req);

}  // namespace apiota::api::admin
