#pragma once
// DataFolder: everything apiota keeps on disk, opened together.
//
//   <data>/apiota.db      SQLite store (WAL: also apiota.db-wal, -shm)
//   <data>/secret.key     32-byte server key (mode 0600) keying every stored
//                         hash and download token; losing it invalidates all
//                         device secrets, keys and download URLs
//   <data>/firmware/      committed firmware blobs, by sha256
//   <data>/tmp/           uploads in progress
//
// open() creates what is missing. The server and CLI commands may open the
// same folder at once. Throws std::runtime_error (or StoreError) on failure.
//
// A DataFolder that changed data the server caches waits api::kRecheckInterval when
// it is destroyed, so that a CLI change applies to every request a running
// server receives after the command returns (api/fleet_cache.h).

#include <filesystem>
#include <memory>

#include "blob/blob_store.h"
#include "crypto/keyed_hash.h"
#include "store/store.h"

namespace apiota::cli {

struct DataFolder {
  std::filesystem::path path;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<blob::BlobStore> blobs;
  std::unique_ptr<crypto::KeyedHasher> hasher;

  static DataFolder open(const std::filesystem::path& path);

  DataFolder() = default;
  DataFolder(DataFolder&&) = default;
  DataFolder& operator=(DataFolder&&) = default;
  ~DataFolder();
};

}  // namespace apiota::cli
