#pragma once
// Finding a release from the command line by its id alone: release ids are
// unique across projects, so the id names one release and its project.
// `only_project` (a --project given with the id) must then be the release's
// project. Throws std::invalid_argument "no release ID" when there is none,
// and "release ID belongs to project P, not Q" when --project names another.

#include <cstdint>
#include <string>

#include "service/fleet_administration.h"

namespace apiota::cli {

store::ReleaseRecord find_release_by_id(service::FleetAdministration& admin, std::int64_t id,
                                        const std::string& only_project);

}  // namespace apiota::cli
