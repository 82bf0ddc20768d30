#include "service/device_tags.h"

#include <boost/json.hpp>

#include "service/api_error.h"
#include "service/audit.h"
#include "domain/identifiers.h"

namespace apiota::service {

std::vector<std::string> replace_device_tags(store::Store& store, env::Env& env, const store::DeviceRecord& device,
                                             std::span<const std::string> tags, std::string_view actor) {
  for (const auto& tag : tags) {
    if (!domain::is_valid_tag(tag)) {
      throw ApiError(ErrorCode::InvalidParameter, "a tag is 1-32 characters of a-z 0-9 . _ -: " + tag);
    }
  }
  auto before = store.device_tags(device.device_id);
  store.set_device_tags(device.device_id, tags);
  auto after = store.device_tags(device.device_id);
  record_audit(store, env, device.project_id, actor, "device.tags", "device:" + device.device_id,
               boost::json::value_from(before), boost::json::value_from(after));
  return after;
}

}  // namespace apiota::service
