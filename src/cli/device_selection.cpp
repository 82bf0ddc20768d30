#include "cli/device_selection.h"

#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>

#include "cli/commands.h"
#include "domain/printable.h"

namespace apiota::cli {
namespace {

std::vector<std::string> listed_ids(std::istream& in) {
  std::vector<std::string> ids;
  std::set<std::string, std::less<>> seen;
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    std::string id = line.substr(first, last - first + 1);
    if (seen.insert(id).second) ids.push_back(std::move(id));
  }
  return ids;
}

std::vector<std::string> ids_from(const std::string& source) {
  if (source == "-") return listed_ids(std::cin);
  std::ifstream file(source);
  if (!file) throw std::invalid_argument("cannot read " + domain::printable(source));
  return listed_ids(file);
}

}  // namespace

store::DeviceRecord existing_device(service::FleetAdministration& admin, const std::string& id) {
  auto device = admin.find_device(id);
  if (!device) throw std::invalid_argument("no device " + domain::printable(id));
  return std::move(*device);
}

std::vector<store::DeviceRecord> select_devices(service::FleetAdministration& admin, const DeviceSelection& selection) {
  const int given = !selection.id.empty() + !selection.tag.empty() + !selection.ids_from.empty();
  if (given != 1) throw UsageError("name the devices: an ID, --tag TAG or --ids-from FILE|- (exactly one)");
  std::vector<std::string> ids;
  if (!selection.id.empty()) {
    ids.push_back(selection.id);
  } else if (!selection.tag.empty()) {
    ids = admin.device_ids_with_tag(selection.project, selection.tag);
    if (ids.empty()) {
      throw std::invalid_argument("no device of project " + selection.project + " has tag " +
                                  domain::printable(selection.tag));
    }
  } else {
    ids = ids_from(selection.ids_from);
    if (ids.empty()) throw std::invalid_argument("no device ids in " + domain::printable(selection.ids_from));
  }
  std::vector<store::DeviceRecord> devices;
  for (const auto& id : ids) devices.push_back(existing_device(admin, id));
  return devices;
}

}  // namespace apiota::cli
