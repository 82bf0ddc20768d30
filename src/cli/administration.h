#pragma once
// The command line's way to change a fleet: service::FleetAdministration over
// an open data folder, on the system's clock and randomness
// (env::system_env()), with the default settings. A deleted release's
// firmware file is left for the next server start, which alone serializes
// removals with its own uploads (service/fleet_administration.h).
// Commands pass service::kCliActor as the actor. A command line process
// serves no live events: its changes go to unobserved_changes(), a feed
// nobody reads.

#include "cli/data_folder.h"
#include "service/fleet_administration.h"

namespace apiota::cli {

service::ChangeFeed& unobserved_changes();
service::FleetAdministration administration(DataFolder& data);

}  // namespace apiota::cli
