#pragma once
// Test support: the Store implementations, each behind one factory, for the
// suites that check the store contract on all of them
// (INSTANTIATE_TEST_SUITE_P with sqlite_store() and postgres_store(), or
// with the backends when a test also reads the database directly). A
// factory opens the store of a test folder; opened again with the same
// folder (a reopen, or a second process on the same data), it opens the
// same data.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/store.h"
#include "support/raw_sql.h"

namespace apiota::testing {

using StoreFactory = std::function<std::unique_ptr<store::Store>(const std::filesystem::path& dir)>;

// SQLite: the file apiota.db in the folder.
StoreFactory sqlite_store();
// PostgreSQL: a database of its own per folder, in this process's cluster
// (postgres_cluster.h), with a pool of 8 connections.
StoreFactory postgres_store();

// A store implementation with direct SQL on the same database.
struct StoreBackend {
  std::string name;
  StoreFactory open;
  std::function<std::unique_ptr<RawSql>(const std::filesystem::path& dir)> raw;
};

StoreBackend sqlite_backend();
StoreBackend postgres_backend();

// gtest names a parameterized test's instances after this.
inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) { return info.param.name; }

}  // namespace apiota::testing
