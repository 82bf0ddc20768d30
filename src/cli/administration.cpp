#include "cli/administration.h"

#include "env/env.h"

namespace apiota::cli {

service::FleetAdministration administration(DataFolder& data) {
  return service::FleetAdministration(*data.store, *data.blobs, *data.hasher, service::Settings{}, env::system_env(),
                                      service::FleetAdministration::FileRemoval::AtServerStart);
}

}  // namespace apiota::cli
