#include "api/admin/admin_api.h"
#include "api/device/device_api.h"
#include "http/router.h"

namespace apiota::http {

Router make_api_router() {
  namespace device = api::device;
  namespace admin = api::admin;
  Router r;
  r.add("GET", "/api/health", device::health);
  r.add("GET", "/api/check-update", device::check_update, RouteKind::Plain, device::check_update_cached);
  r.add("POST", "/api/register", device::register_device);
  r.add("POST", "/api/ota-log", device::report_ota_status);
  r.add("GET", "/api/config", device::fetch_config);
  r.add("POST", "/api/firmware/upload", nullptr, RouteKind::FirmwareUpload);
  r.add("GET", "/api/firmware/{filename}", device::download_firmware, RouteKind::Plain,
        device::download_firmware_cached);

  r.add("GET", "/api/admin/project", admin::project_info);
  r.add("GET", "/api/admin/keys", admin::list_keys);
  r.add("POST", "/api/admin/keys", admin::create_key);
  r.add("DELETE", "/api/admin/keys/{id}", admin::revoke_key);
  r.add("GET", "/api/admin/devices", admin::list_devices);
  r.add("GET", "/api/admin/devices/{id}", admin::get_device);
  r.add("POST", "/api/admin/devices/{id}/block", admin::block_device);
  r.add("POST", "/api/admin/devices/{id}/unblock", admin::unblock_device);
  r.add("PUT", "/api/admin/devices/{id}/channel", admin::set_device_channel);
  r.add("PUT", "/api/admin/devices/{id}/tags", admin::set_device_tags);
  r.add("GET", "/api/admin/devices/{id}/logs", admin::device_logs);
  r.add("GET", "/api/admin/devices/{id}/config", admin::get_device_config);
  r.add("PUT", "/api/admin/devices/{id}/config", admin::put_device_config);
  r.add("GET", "/api/admin/config", admin::get_project_config);
  r.add("PUT", "/api/admin/config", admin::put_project_config);
  r.add("GET", "/api/admin/releases", admin::list_releases);
  r.add("GET", "/api/admin/releases/{id}", admin::get_release);
  r.add("PATCH", "/api/admin/releases/{id}", admin::patch_release);
  r.add("DELETE", "/api/admin/releases/{id}", admin::delete_release);
  r.add("POST", "/api/admin/releases/{id}/pause", admin::pause_release);
  r.add("POST", "/api/admin/releases/{id}/resume", admin::resume_release);
  r.add("POST", "/api/admin/releases/{id}/revoke", admin::revoke_release);
  r.add("POST", "/api/admin/releases/{id}/promote", admin::promote_release);
  r.add("GET", "/api/admin/audit", admin::list_audit);
  r.add("GET", "/api/admin/changelog", admin::changelog);
  r.add("GET", "/api/admin/pins", admin::list_pins);
  r.add("PUT", "/api/admin/pins", admin::put_pin);
  r.add("DELETE", "/api/admin/pins", admin::delete_pin);
  return r;
}

}  // namespace apiota::http
