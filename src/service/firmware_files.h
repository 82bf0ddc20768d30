#pragma once
// Firmware files where several nodes share one store: the node's firmware
// folder (blob/blob_store.h) is then a cache of the store's copies
// (store/firmware_copies.h), filled on first use. With a store that keeps no
// copies (SQLite) the folder is the only copy and both functions are plain
// folder operations.

#include <cstdint>
#include <memory>
#include <string_view>

#include "blob/blob_store.h"
#include "store/store.h"

namespace apiota::service {

// After an upload was committed to `blobs` under `sha256`: hands the file to
// the store too, before its release is written, so every node can serve
// it. Throws StoreError (the upload then fails, as when its release cannot
// be written).
void share_firmware(blob::BlobStore& blobs, store::Store& store, std::string_view sha256);

// The file `sha256` for a download: the node's own copy, or one first
// fetched from the store into the folder and checked against its digest
// (a copy that does not match is refused: std::runtime_error). Null when
// neither has it. Blocks on the store and the disk; one fetch at a time per
// process.
std::shared_ptr<const blob::OpenBlob> open_firmware(blob::BlobStore& blobs, store::Store& store,
                                                    std::string_view sha256);

// The file `sha256` of `blobs` carried into `copies` (`apiota migrate`):
// hashed first, stored, then read back from the store and hashed again.
// Returns its size. Throws std::runtime_error when the folder has no such
// file or either copy does not hash to `sha256`, and StoreError as `copies`
// does.
std::uint64_t copy_firmware(blob::BlobStore& blobs, store::FirmwareCopies& copies, std::string_view sha256);

}  // namespace apiota::service
