#include "service/blob_cleanup.h"

#include <algorithm>

namespace apiota::service {

void remove_unreferenced_blob(store::Store& store, blob::BlobStore& blobs, std::string_view sha256) {
  auto referenced = store.referenced_sha256s();
  if (std::find(referenced.begin(), referenced.end(), sha256) == referenced.end()) blobs.remove(sha256);
}

}  // namespace apiota::service
