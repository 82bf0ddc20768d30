#pragma once
// The triggers that bump cache_generation (schema version 6): every change
// in-memory caches depend on, whichever process makes it, moves the 'catalog'
// or the 'devices' generation in the same transaction. They are made from one
// list of (table, generation, events); sync_cache_triggers() brings a
// database's triggers to that list, so changing the list needs no new schema
// version and leaves no stale copy behind.

#include <string>
#include <vector>

#include "store/sqlite/connection.h"

namespace apiota::store::sqlite {

struct CacheTrigger {
  std::string name_stem;   // names are stem + "_" + the event's first word, lower-case
  std::string table;
  std::string generation;  // the cache_generation row bumped
  // "INSERT", "DELETE", "UPDATE" (any column) or "UPDATE OF col, ..." (only
  // changes of those columns: the rest are observations caches ignore).
  std::vector<std::string> events;
};

const std::vector<CacheTrigger>& cache_triggers();

struct TriggerSql {
  std::string name;
  std::string sql;  // CREATE TRIGGER ..., as sqlite_master keeps it
};

// One trigger per listed (table, event).
std::vector<TriggerSql> cache_trigger_sql();

// Creates each trigger of cache_trigger_sql() that the database lacks or
// holds with other SQL (dropping that one first), and touches nothing when
// they all match. Run inside the migration's transaction.
void sync_cache_triggers(Connection& conn);

}  // namespace apiota::store::sqlite
