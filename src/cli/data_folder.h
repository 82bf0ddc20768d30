#pragma once
// DataFolder: everything apiota keeps on disk, opened together.
//
//   <data>/apiota.db      SQLite store (WAL: also apiota.db-wal, -shm), 0600;
//                         records the server key's fingerprint
//   <data>/secret.key     32-byte server key (mode 0600) keying every stored
//                         hash and download token; losing it invalidates all
//                         device secrets, keys and download URLs
//   <data>/firmware/      committed firmware blobs, by sha256 (0700, files 0600)
//   <data>/tmp/           uploads in progress (0700)
//
// open() creates everything only for a fresh install: no database (or a
// zero-length one), no secret.key, no firmware. It refuses (throws
// std::runtime_error with a message naming the paths and the ways out,
// docs/operations.md "Start-up refusals") a folder that holds a key,
// firmware or a write-ahead log but no database; a database that is not a
// usable apiota database; a missing or malformed secret.key next to a
// database; and a key whose fingerprint is not the one the database
// recorded. A database from before fingerprints gets its key's fingerprint
// recorded. The server and every CLI command get the same refusals, and
// may open the same folder at once. Other failures (a folder or file that
// cannot be read or written) throw std::runtime_error or StoreError naming
// the path.
//
// OnDamage::StartOver (`apiota serve --init`) gets past every refusal by
// setting the old files aside (cli/start_over.h, nothing is deleted) and
// starting as a fresh install that keeps a well-formed secret.key. On a
// folder that would open without refusal it throws instead: --init is for
// a damaged folder only, and left in a service definition it must not
// start over on some later day.
//
// With a PostgreSQL store (DataLocation::store) the folder keeps the server
// key and a local copy of the firmware; the database holds the rest and is
// shared by every node. The key must be the same on every node: a folder
// without one gets a new key only while the database has none recorded,
// and a key the database did not record is refused (copy secret.key from a
// node of the cluster). The SQLite rules above about a missing database do
// not apply, and OnDamage::StartOver is refused (a PostgreSQL database is
// repaired with PostgreSQL's tools).
//
// A DataFolder that changed data the server caches waits service::kRecheckInterval when
// it is destroyed, so that a CLI change applies to every request a running
// server receives after the command returns (service/fleet_cache.h).

#include <filesystem>
#include <memory>

#include "blob/blob_store.h"
#include "cli/data_location.h"
#include "cli/start_over.h"
#include "crypto/keyed_hash.h"
#include "store/store.h"

namespace apiota::cli {

enum class OnDamage { Refuse, StartOver };

struct DataFolder {
  std::filesystem::path path;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<blob::BlobStore> blobs;
  std::unique_ptr<crypto::KeyedHasher> hasher;
  // The database existed before this open and was read: only then does what
  // it references prove a firmware file unreferenced (a database just
  // created references nothing).
  bool database_proven = false;
  // What OnDamage::StartOver moved aside (empty otherwise).
  SetAside set_aside;

  static DataFolder open(const DataLocation& where, OnDamage on_damage = OnDamage::Refuse);
  // open() for every command but `serve`, which alone creates a data folder:
  // a path that is not a folder, or a folder holding neither a database nor
  // anything an install leaves (secret.key, firmware), is refused with
  // std::runtime_error "no apiota data folder at PATH (give --data or
  // APIOTA_DATA)", PATH as given, and nothing is created.
  static DataFolder open_existing(const DataLocation& where);

  DataFolder() = default;
  DataFolder(DataFolder&&) = default;
  DataFolder& operator=(DataFolder&&) = default;
  ~DataFolder();
};

}  // namespace apiota::cli
