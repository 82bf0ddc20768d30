#include "service/device_changes.h"

#include <boost/json.hpp>

#include "service/render.h"
#include "service/api_error.h"
#include "service/audit.h"
#include "domain/channel.h"
#include "domain/printable.h"

namespace apiota::service {

store::DeviceRecord change_device_block(store::Store& store, env::Env& env, store::DeviceRecord device, bool blocked,
                                        std::string_view reason, std::string_view actor) {
  if (!blocked) reason = {};
  if (reason.size() > kMaxBlockReasonBytes || domain::printable(reason) != reason) {
    throw ApiError(ErrorCode::InvalidParameter, "reason must be at most 500 bytes of printable text");
  }
  const boost::json::object before = render(device);
  store.set_device_blocked(device.project_id, device.device_id, blocked, reason);
  device.blocked = blocked;
  device.blocked_reason = std::string(reason);
  record_audit(store, env, device.project_id, actor, blocked ? "device.block" : "device.unblock",
               "device:" + device.device_id, before, render(device));
  return device;
}

store::DeviceRecord change_device_channel(store::Store& store, env::Env& env, store::DeviceRecord device, std::string_view channel,
                                          std::string_view actor) {
  auto parsed = domain::parse_channel(channel);
  if (!parsed) throw ApiError(ErrorCode::InvalidChannel, "channel must be stable, beta or dev");
  const boost::json::object before = render(device);
  device.channel = *parsed;
  store.set_device_channel(device.project_id, device.device_id, device.channel);
  record_audit(store, env, device.project_id, actor, "device.channel", "device:" + device.device_id, before,
               render(device));
  return device;
}

}  // namespace apiota::service
