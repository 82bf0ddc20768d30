#include "cli/data_folder.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <thread>

#include "service/fleet_cache.h"
#include "blob/private_directory.h"
#include "cli/data_folder_survey.h"
#include "cli/server_key_file.h"
#include "cli/start_refusal.h"
#include "domain/printable.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace apiota::cli {
namespace {

std::optional<crypto::ServerKey> read_key_or_refuse(const std::filesystem::path& data) {
  try {
    return read_server_key(data / "secret.key");
  } catch (const MalformedKeyFile& e) {
    throw key_malformed(data, e.what());
  }
}

// SQLite would create the file with mode 0644; created here first (empty,
// which SQLite takes for a new database), it is 0600, and SQLite gives its
// -wal and -shm files the same mode.
void create_private_file(const std::filesystem::path& file) {
  blob::FileHandle fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    throw std::runtime_error("cannot create " + domain::printable(file.string()) + ": " + std::strerror(errno));
  }
}

std::unique_ptr<store::Store> open_store(const std::filesystem::path& data, store::sqlite::SchemaPolicy policy) {
  try {
    return std::make_unique<store::sqlite::SqliteStore>((data / "apiota.db").string(), policy);
  } catch (const store::StoreOpenError& e) {
    if (e.damaged()) throw database_damaged(data, e.what());
    throw database_unreachable(data, e.what());
  }
}

// The rules of data_folder.h, in order. `starting_over`: the old state was
// just set aside, so a key without a database is the one to keep.
DataFolder open_checked(const std::filesystem::path& data, bool starting_over) {
  const DataFolderSurvey survey = survey_data_folder(data);
  DataFolder folder;
  folder.path = data;
  std::optional<crypto::ServerKey> key;
  if (!survey.has_database()) {
    if (survey.has_earlier_install() && !starting_over) throw database_missing(data, survey);
    key = read_key_or_refuse(data);
    if (!key) key = create_server_key(data / "secret.key");
    create_private_file(data / "apiota.db");
    folder.store = open_store(data, store::sqlite::SchemaPolicy::CreateIfMissing);
  } else {
    key = read_key_or_refuse(data);
    if (!key) throw key_missing(data);
    folder.store = open_store(data, store::sqlite::SchemaPolicy::RequireExisting);
    folder.database_proven = true;
  }
  folder.hasher = std::make_unique<crypto::KeyedHasher>(*key);
  const std::string fingerprint = server_key_fingerprint(*folder.hasher);
  if (!crypto::constant_time_equal(folder.store->claim_server_key_fingerprint(fingerprint), fingerprint)) {
    throw key_mismatch(data);
  }
  folder.blobs = std::make_unique<blob::BlobStore>(data);
  return folder;
}

// The folder beside a shared PostgreSQL store: the server key and the
// firmware files, the store itself elsewhere (data_folder.h).
DataFolder open_beside_postgres(const std::filesystem::path& data, const DataLocation& where) {
  DataFolder folder;
  folder.path = data;
  std::optional<crypto::ServerKey> key = read_key_or_refuse(data);
  try {
    folder.store = std::make_unique<store::postgres::PostgresStore>(where.store, where.store_connections);
  } catch (const store::StoreOpenError& e) {
    throw std::runtime_error(std::string("cannot open the PostgreSQL store: ") + e.what());
  }
  const bool new_key = !key;
  if (new_key) key = create_server_key(data / "secret.key");
  folder.hasher = std::make_unique<crypto::KeyedHasher>(*key);
  const std::string fingerprint = server_key_fingerprint(*folder.hasher);
  if (!crypto::constant_time_equal(folder.store->claim_server_key_fingerprint(fingerprint), fingerprint)) {
    if (new_key) std::filesystem::remove(data / "secret.key");
    throw shared_key_mismatch(data, new_key);
  }
  folder.database_proven = true;
  folder.blobs = std::make_unique<blob::BlobStore>(data);
  return folder;
}

}  // namespace

bool is_postgres_uri(std::string_view store) {
  return store.starts_with("postgres://") || store.starts_with("postgresql://");
}

DataFolder::~DataFolder() {
  if (store && store->local_cache_changes() > 0) std::this_thread::sleep_for(service::kRecheckInterval);
}

DataFolder DataFolder::open_existing(const DataLocation& where) {
  const std::filesystem::path path = where.folder;
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec) ||
      [&] {
        if (where.shared_store()) return !std::filesystem::exists(path / "secret.key", ec);
        const DataFolderSurvey survey = survey_data_folder(path);
        return !survey.has_database() && !survey.has_earlier_install();
      }()) {
    throw std::runtime_error("no apiota data folder at " + domain::printable(path.string()) +
                             " (give --data or APIOTA_DATA)");
  }
  return open(where);
}

DataFolder DataFolder::open(const DataLocation& where, OnDamage on_damage) {
  if (where.shared_store() && !is_postgres_uri(where.store)) {
    throw std::invalid_argument("--store must be a PostgreSQL URI, postgres://USER@HOST/DATABASE (without it, the "
                                "store is SQLite in the data folder)");
  }
  if (where.shared_store() && on_damage == OnDamage::StartOver) {
    throw std::invalid_argument("--init starts over on a SQLite data folder; a PostgreSQL store is repaired with "
                                "PostgreSQL's own tools (docs/operations.md)");
  }
  const std::filesystem::path path = where.folder;
  // Messages name the full path; "DIR/" and "DIR" are the same folder.
  auto data = std::filesystem::absolute(path).lexically_normal();
  if (data.filename().empty() && data.has_parent_path()) data = data.parent_path();
  blob::create_private_directory(data);
  // Opens of one folder take turns (a lock on the folder itself, released
  // when open() returns), so no process judges a folder another one is half
  // way through creating: a key without a database yet is not a lost database.
  blob::FileHandle turn(::open(data.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (turn.get() < 0 || ::flock(turn.get(), LOCK_EX) != 0) {
    throw std::runtime_error("cannot lock " + domain::printable(data.string()) + ": " + std::strerror(errno));
  }
  if (where.shared_store()) return open_beside_postgres(data, where);
  if (on_damage == OnDamage::Refuse) return open_checked(data, false);
  SetAside moved;
  try {
    DataFolder folder = open_checked(data, false);
    if (folder.database_proven) throw nothing_to_start_over(data);
    return folder;
  } catch (const StartRefusal&) {
    moved = set_aside_for_start_over(data, std::chrono::system_clock::now());
  }
  DataFolder folder = open_checked(data, true);
  folder.set_aside = std::move(moved);
  return folder;
}

}  // namespace apiota::cli
