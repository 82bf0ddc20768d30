#pragma once
// Removes the firmware file `sha256` unless a release still references it.
// The caller holds service::FleetAdministration's commit lock, so no upload
// of the same bytes can commit the file between the check and the removal.

#include <string_view>

#include "blob/blob_store.h"
#include "store/store.h"

namespace apiota::service {

void remove_unreferenced_blob(store::Store& store, blob::BlobStore& blobs, std::string_view sha256);

}  // namespace apiota::service
