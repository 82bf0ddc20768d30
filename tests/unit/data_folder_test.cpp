// DataFolder::open() on databases a black-box test cannot make without
// SQLite: one from before server key fingerprints, and one whose schema is
// malformed with non-UTF-8 bytes in it. (data_folder_start_test.cpp covers
// the rest through the binary.)

#include "cli/data_folder.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace apiota::cli {
namespace {

namespace fs = std::filesystem;

class DataFolderOpen : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("apiota-folder-" + std::to_string(std::random_device{}()));
    DataFolder::open({dir_.string()});  // a fresh install
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `sql` on the database directly, as another tool would.
  void run_sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "apiota.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  std::string recorded_fingerprint() {
    sqlite3* db = nullptr;
    std::string value;
    if (sqlite3_open((dir_ / "apiota.db").c_str(), &db) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE name = 'server_key_fingerprint'", -1, &stmt, nullptr) ==
              SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return value;
  }

  fs::path dir_;
};

TEST_F(DataFolderOpen, ADatabaseFromBeforeFingerprintsGetsOneAndIsCheckedFromThenOn) {
  // A schema 6 database: without the tables and columns of versions 7 and 8.
  run_sql(
      "DROP TABLE IF EXISTS meta; ALTER TABLE devices DROP COLUMN blocked_reason; "
      "ALTER TABLE api_keys DROP COLUMN label; PRAGMA user_version = 6;");
  ASSERT_NO_THROW(DataFolder::open({dir_.string()}));
  EXPECT_EQ(recorded_fingerprint().size(), 64u) << "no fingerprint recorded on the first open";

  std::ofstream(dir_ / "secret.key", std::ios::binary | std::ios::trunc) << std::string(32, 'k');
  try {
    DataFolder::open({dir_.string()});
    FAIL() << "a different key was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("fingerprints differ"), std::string::npos) << e.what();
  }
}

TEST_F(DataFolderOpen, AMalformedSchemaIsReportedPrintablyWithThePath) {
  run_sql(
      "PRAGMA writable_schema = ON;"
      "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) "
      "VALUES ('table', 'bad\xff\x1b[2J', 'bad', 0, 'CREATE TABLE bad\xfe(');");
  try {
    DataFolder::open({dir_.string()});
    FAIL() << "a malformed schema was accepted";
  } catch (const std::exception& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find((fs::absolute(dir_) / "apiota.db").string()), std::string::npos) << message;
    EXPECT_NE(message.find("malformed database schema"), std::string::npos) << message;
    EXPECT_NE(message.find("bad\\xff\\x1b[2J"), std::string::npos) << message;
    for (unsigned char c : message) {
      EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << "raw byte " << static_cast<int>(c) << " in: " << message;
    }
  }
}

// Several processes may start on an empty folder at once (the server and a
// CLI command): none may take another's half-created install for a damaged one.
TEST(DataFolderFreshStart, ConcurrentOpensOfAnEmptyFolderAllSucceed) {
  const fs::path root = fs::temp_directory_path() / ("apiota-fresh-" + std::to_string(std::random_device{}()));
  for (int round = 0; round < 20; ++round) {
    const fs::path dir = root / std::to_string(round);
    std::vector<std::string> failures(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < failures.size(); ++i) {
      threads.emplace_back([&, i] {
        try {
          DataFolder::open({dir.string()});
        } catch (const std::exception& e) {
          failures[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& failure : failures) EXPECT_EQ(failure, "") << "round " << round;
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace apiota::cli
