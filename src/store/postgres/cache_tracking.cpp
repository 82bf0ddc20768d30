// CacheTracking on PostgreSQL: the numbers the Database keeps in memory from
// LISTEN/NOTIFY and its own writes (database.h).

#include "store/postgres/postgres_store.h"

namespace apiota::store::postgres {

std::uint64_t PostgresStore::data_version() { return db_.data_version(); }

std::uint64_t PostgresStore::local_cache_changes() { return db_.local_cache_changes(); }

CacheGenerations PostgresStore::cache_generations() { return db_.cache_generations(); }

}  // namespace apiota::store::postgres
