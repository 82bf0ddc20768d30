#pragma once
// Test support: SQL run straight on a store's database, beside the store, to
// check what the store wrote (counters against recounts) or to change rows
// the store has no method for. Each row comes back as its columns' text
// joined by '|', NULL as "NULL". A failing statement fails the test
// (ADD_FAILURE) and returns no rows.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace apiota::testing {

class RawSql {
 public:
  virtual ~RawSql() = default;
  virtual std::vector<std::string> rows(const std::string& sql) = 0;
  virtual void exec(const std::string& sql) = 0;
};

// On the SQLite database file `path`.
std::unique_ptr<RawSql> raw_sqlite(const std::filesystem::path& path);
// On the PostgreSQL database at `uri`.
std::unique_ptr<RawSql> raw_postgres(const std::string& uri);

}  // namespace apiota::testing
