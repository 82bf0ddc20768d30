#pragma once
// DataLocation: where an apiota installation keeps its data, as the command
// line names it. `folder` (--data, APIOTA_DATA) holds the server key and the
// firmware files; the store is SQLite inside it, or the PostgreSQL database
// `store` names (--store postgres://..., APIOTA_STORE) that several nodes
// share (store/postgres/postgres_store.h), reached through at most
// `store_connections` connections.

#include <cstddef>
#include <string>

namespace apiota::cli {

struct DataLocation {
  std::string folder = "./data";
  std::string store = {};  // "" for SQLite in the folder
  std::size_t store_connections = 4;

  bool shared_store() const { return !store.empty(); }
};

// Whether `store` names a PostgreSQL store.
bool is_postgres_uri(std::string_view store);

}  // namespace apiota::cli
