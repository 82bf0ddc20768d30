#pragma once
// Which devices a command changes: one device by id, every device of a
// project carrying a tag (--tag, with --project), or the ids listed one per
// line in a file or on standard input (--ids-from FILE|-; blank lines and
// surrounding spaces are ignored, repeated ids count once).
//
// select_devices() throws UsageError unless exactly one of id, tag and
// ids_from is given, and std::invalid_argument, before anything changes,
// when a named device does not exist ("no device ID"), the file cannot be
// read, no device of the project carries the tag, or the list is empty.

#include <string>
#include <vector>

#include "service/fleet_administration.h"

namespace apiota::cli {

struct DeviceSelection {
  std::string id;
  std::string tag;
  std::string ids_from;
  std::string project;  // the project searched for `tag`
};

std::vector<store::DeviceRecord> select_devices(service::FleetAdministration& admin, const DeviceSelection& selection);

// The device `id` (any project); throws std::invalid_argument "no device ID".
store::DeviceRecord existing_device(service::FleetAdministration& admin, const std::string& id);

}  // namespace apiota::cli
