#include "api/admin/admin_api.h"
#include "api/admin/admin_guard.h"
#include "api/console/console_api.h"
#include "api/device/device_api.h"
#include "api/device/device_guard.h"
#include "http/console_site.h"
#include "http/router.h"

namespace apiota::http {

Router make_api_router() {
  namespace device = api::device;
  namespace admin = api::admin;
  using admin::admin_route;
  Router r;
  r.add("GET", "/api/health", device::health);
  r.add("GET", "/api/check-update", device::device_route(device::read_poll, device::check_update), RouteKind::Plain,
        device::device_route_from_memory(device::read_poll, device::check_update));
  r.add("POST", "/api/register", device::register_device);
  r.add("POST", "/api/ota-log", device::device_route(device::read_ota_report, device::report_ota_status));
  r.add("GET", "/api/config", device::device_route(device::read_nothing, device::fetch_config));
  r.add("POST", "/api/firmware/upload", nullptr, RouteKind::FirmwareUpload);
  r.add("GET", "/api/firmware/{filename}", device::download_firmware, RouteKind::Plain,
        device::download_firmware_from_memory);

  r.add("GET", "/api/admin/project", admin_route(admin::project_info));
  r.add("GET", "/api/admin/keys", admin_route(admin::list_keys));
  r.add("POST", "/api/admin/keys", admin_route(admin::create_key));
  r.add("DELETE", "/api/admin/keys/{id}", admin_route(admin::revoke_key));
  r.add("PATCH", "/api/admin/keys/{id}", admin_route(admin::label_key));
  r.add("GET", "/api/admin/devices/{id}/attempts", admin_route(admin::device_attempts));
  r.add("GET", "/api/admin/devices", admin_route(admin::list_devices));
  r.add("GET", "/api/admin/devices/{id}", admin_route(admin::get_device));
  r.add("POST", "/api/admin/devices/{id}/block", admin_route(admin::block_device));
  r.add("POST", "/api/admin/devices/{id}/unblock", admin_route(admin::unblock_device));
  r.add("PUT", "/api/admin/devices/{id}/channel", admin_route(admin::set_device_channel));
  r.add("PUT", "/api/admin/devices/{id}/tags", admin_route(admin::set_device_tags));
  r.add("GET", "/api/admin/devices/{id}/logs", admin_route(admin::device_logs));
  r.add("GET", "/api/admin/devices/{id}/config", admin_route(admin::get_device_config));
  r.add("PUT", "/api/admin/devices/{id}/config", admin_route(admin::put_device_config));
  r.add("GET", "/api/admin/config", admin_route(admin::get_project_config));
  r.add("PUT", "/api/admin/config", admin_route(admin::put_project_config));
  r.add("GET", "/api/admin/releases", admin_route(admin::list_releases));
  r.add("GET", "/api/admin/releases/{id}", admin_route(admin::get_release));
  r.add("PATCH", "/api/admin/releases/{id}", admin_route(admin::patch_release));
  r.add("DELETE", "/api/admin/releases/{id}", admin_route(admin::delete_release));
  r.add("POST", "/api/admin/releases/{id}/pause", admin_route(admin::pause_release));
  r.add("POST", "/api/admin/releases/{id}/resume", admin_route(admin::resume_release));
  r.add("POST", "/api/admin/releases/{id}/revoke", admin_route(admin::revoke_release));
  r.add("POST", "/api/admin/releases/{id}/promote", admin_route(admin::promote_release));
  r.add("GET", "/api/admin/audit", admin_route(admin::list_audit));
  r.add("GET", "/api/admin/changelog", admin_route(admin::changelog));
  r.add("GET", "/api/admin/pins", admin_route(admin::list_pins));
  r.add("PUT", "/api/admin/pins", admin_route(admin::put_pin));
  r.add("DELETE", "/api/admin/pins", admin_route(admin::delete_pin));
  r.add("GET", "/api/admin/stats", admin_route(admin::fleet_stats));
  r.add("GET", "/api/admin/releases/{id}/progress", admin_route(admin::release_progress));

  // The web console: its session, live events and files.
  r.add("POST", "/api/console/session", api::console::sign_in);
  r.add("GET", "/api/console/session", api::console::session_info);
  r.add("DELETE", "/api/console/session", api::console::sign_out);
  r.add("GET", "/api/admin/events", nullptr, RouteKind::EventStream);
  r.add("GET", "/", console_redirect, RouteKind::Plain, console_redirect_fast);
  r.add("GET", "/console/{path...}", console_page, RouteKind::Plain, console_page_fast);
  return r;
}

}  // namespace apiota::http
