// CacheTracking on SQLite: PRAGMA data_version and the cache_generation
// table, read through this thread's watcher connection; the count of local
// changes is the Database's (its writer's update hook sees every bump).

#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {

std::uint64_t SqliteStore::data_version() {
  auto stmt = db_.watcher().prepare("PRAGMA data_version");
  stmt.step();
  return static_cast<std::uint64_t>(stmt.int64(0));
}

std::uint64_t SqliteStore::local_cache_changes() { return db_.local_cache_changes(); }

CacheGenerations SqliteStore::cache_generations() {
  auto stmt = db_.watcher().prepare("SELECT name, value FROM cache_generation");
  CacheGenerations out;
  while (stmt.step()) {
    if (stmt.text(0) == "catalog") out.catalog = stmt.int64(1);
    if (stmt.text(0) == "devices") out.devices = stmt.int64(1);
  }
  return out;
}

}  // namespace apiota::store::sqlite
