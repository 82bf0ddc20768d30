#include "support/store_factories.h"

#include <map>
#include <mutex>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "support/postgres_cluster.h"

namespace apiota::testing {
namespace {

// The database of a test folder, made on first use.
std::string postgres_database_of(const std::filesystem::path& dir) {
  static std::mutex mutex;
  static std::map<std::string, std::string> databases;
  std::lock_guard lock(mutex);
  std::string& uri = databases[dir.string()];
  if (uri.empty()) uri = shared_postgres().create_database();
  return uri;
}

}  // namespace

StoreFactory sqlite_store() {
  return [](const std::filesystem::path& dir) {
    return std::make_unique<store::sqlite::SqliteStore>((dir / "apiota.db").string());
  };
}

StoreFactory postgres_store() {
  return [](const std::filesystem::path& dir) {
    return std::make_unique<store::postgres::PostgresStore>(postgres_database_of(dir), 8);
  };
}

StoreBackend sqlite_backend() {
  return {"Sqlite", sqlite_store(), [](const std::filesystem::path& dir) { return raw_sqlite(dir / "apiota.db"); }};
}

StoreBackend postgres_backend() {
  return {"Postgres", postgres_store(),
          [](const std::filesystem::path& dir) { return raw_postgres(postgres_database_of(dir)); }};
}

}  // namespace apiota::testing
