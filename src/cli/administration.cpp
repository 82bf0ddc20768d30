#include "cli/administration.h"

#include "env/env.h"

namespace apiota::cli {

service::ChangeFeed& unobserved_changes() {
  static service::ChangeFeed changes;
  return changes;
}

service::FleetAdministration administration(DataFolder& data) {
  return service::FleetAdministration(*data.store, *data.blobs, *data.hasher, service::Settings{}, env::system_env(),
                                      unobserved_changes(), service::FleetAdministration::FileRemoval::AtServerStart);
}

}  // namespace apiota::cli
