#pragma once
// The admin API: operations an operator performs with an admin key
// (`Authorization: Bearer pk_live_...`), always confined to the key's
// project. Each route, its parameters, answers and errors are documented in
// docs/api.md, "Admin API". Like the device handlers, these block on the
// store and throw ApiError on refusal.

#include "api/context.h"
#include "api/request.h"

namespace apiota::api::admin {

Response project_info(Context& ctx, const Request& req);        // GET    /api/admin/project
Response list_keys(Context& ctx, const Request& req);           // GET    /api/admin/keys
Response create_key(Context& ctx, const Request& req);          // POST   /api/admin/keys
Response revoke_key(Context& ctx, const Request& req);          // DELETE /api/admin/keys/{id}
Response list_devices(Context& ctx, const Request& req);        // GET    /api/admin/devices
Response get_device(Context& ctx, const Request& req);          // GET    /api/admin/devices/{id}
Response block_device(Context& ctx, const Request& req);        // POST   /api/admin/devices/{id}/block
Response unblock_device(Context& ctx, const Request& req);      // POST   /api/admin/devices/{id}/unblock
Response set_device_channel(Context& ctx, const Request& req);  // PUT    /api/admin/devices/{id}/channel
Response set_device_tags(Context& ctx, const Request& req);     // PUT    /api/admin/devices/{id}/tags
Response device_logs(Context& ctx, const Request& req);         // GET    /api/admin/devices/{id}/logs
Response get_device_config(Context& ctx, const Request& req);   // GET    /api/admin/devices/{id}/config
Response put_device_config(Context& ctx, const Request& req);   // PUT    /api/admin/devices/{id}/config
Response get_project_config(Context& ctx, const Request& req);  // GET    /api/admin/config
Response put_project_config(Context& ctx, const Request& req);  // PUT    /api/admin/config
Response list_releases(Context& ctx, const Request& req);       // GET    /api/admin/releases
Response get_release(Context& ctx, const Request& req);         // GET    /api/admin/releases/{id}
Response patch_release(Context& ctx, const Request& req);       // PATCH  /api/admin/releases/{id}
Response pause_release(Context& ctx, const Request& req);       // POST   /api/admin/releases/{id}/pause
Response resume_release(Context& ctx, const Request& req);      // POST   /api/admin/releases/{id}/resume
Response revoke_release(Context& ctx, const Request& req);      // POST   /api/admin/releases/{id}/revoke
Response promote_release(Context& ctx, const Request& req);     // POST   /api/admin/releases/{id}/promote
Response delete_release(Context& ctx, const Request& req);      // DELETE /api/admin/releases/{id}
Response list_pins(Context& ctx, const Request& req);           // GET    /api/admin/pins
Response put_pin(Context& ctx, const Request& req);             // PUT    /api/admin/pins
Response delete_pin(Context& ctx, const Request& req);          // DELETE /api/admin/pins?device_id=|tag=
Response changelog(Context& ctx, const Request& req);           // GET    /api/admin/changelog[?format=markdown]
Response list_audit(Context& ctx, const Request& req);          // GET    /api/admin/audit

}  // namespace apiota::api::admin
