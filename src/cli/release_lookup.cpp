#include "cli/release_lookup.h"

#include <stdexcept>

namespace apiota::cli {

store::ReleaseRecord find_release_by_id(service::FleetAdministration& admin, std::int64_t id,
                                        const std::string& only_project) {
  for (const auto& project : admin.list_projects()) {
    auto release = admin.find_release(project.id, id);
    if (!release) continue;
    if (!only_project.empty() && release->project_id != only_project) {
      throw std::invalid_argument("release " + std::to_string(id) + " belongs to project " + release->project_id +
                                  ", not " + only_project);
    }
    return std::move(*release);
  }
  throw std::invalid_argument("no release " + std::to_string(id));
}

}  // namespace apiota::cli
