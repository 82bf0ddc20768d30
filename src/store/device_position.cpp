// Where a device stands in a sorted device list (store/device_store.h).

#include "store/device_store.h"

namespace apiota::store {

DevicePosition position_of(const DeviceRecord& device, DeviceSort sort) {
  DevicePosition p;
  p.device_id = device.device_id;
  switch (sort) {
    case DeviceSort::LastSeenAt:
      p.number = device.last_seen_at;
      break;
    case DeviceSort::RegisteredAt:
      p.number = device.registered_at;
      break;
    case DeviceSort::FirmwareVersion:
      p.text = device.firmware_version;
      break;
    case DeviceSort::DeviceId:
      break;
  }
  return p;
}

}  // namespace apiota::store
