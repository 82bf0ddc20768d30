// Database::commit_grouped (store/sqlite/database.h): callers whose work
// shares one transaction. Work that throws is undone alone and fails only
// its own caller; every other caller's work in the same batch is committed.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/database.h"
#include "support/fleet_records.h"

namespace apiota::store::sqlite {
namespace {

constexpr int kCallers = 6;
constexpr int kRefused = 2;

// The values in table t, in order.
std::vector<std::int64_t> values(Database& db) {
  auto conn = db.reader();
  auto stmt = conn->prepare("SELECT v FROM t ORDER BY v");
  std::vector<std::int64_t> out;
  while (stmt.step()) out.push_back(stmt.int64(0));
  return out;
}

TEST(GroupCommit, WorkThatThrowsIsUndoneAloneAndTheRestOfItsBatchIsCommitted) {
  testing::TempFolder dir("apiota-group-commit");
  Database db((dir.path() / "apiota.db").string(), SchemaPolicy::CreateIfMissing);
  db.writer()->exec("CREATE TABLE t (v INTEGER NOT NULL)");

  std::array<std::atomic<bool>, kCallers> threw{};
  std::atomic<int> started{0};
  std::vector<std::thread> callers;
  {
    // Holding the writer makes every caller queue its work behind it, so
    // the first to get the writer next commits them all in one batch.
    auto held = db.writer();
    for (int i = 0; i < kCallers; ++i) {
      callers.emplace_back([&, i] {
        ++started;
        try {
          db.commit_grouped([i](Connection& conn) {
            conn.exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
            if (i == kRefused) throw std::runtime_error("refused");
          });
        } catch (const std::runtime_error&) {
          threw[i] = true;
        }
      });
    }
    while (started < kCallers) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& caller : callers) caller.join();

  for (int i = 0; i < kCallers; ++i) EXPECT_EQ(threw[i].load(), i == kRefused) << "caller " << i;
  EXPECT_EQ(values(db), (std::vector<std::int64_t>{0, 1, 3, 4, 5}));
}

TEST(GroupCommit, ALoneCallersFailedWorkLeavesNothing) {
  testing::TempFolder dir("apiota-group-commit");
  Database db((dir.path() / "apiota.db").string(), SchemaPolicy::CreateIfMissing);
  db.writer()->exec("CREATE TABLE t (v INTEGER NOT NULL)");
  EXPECT_THROW(db.commit_grouped([](Connection& conn) {
    conn.exec("INSERT INTO t VALUES (7)");
    throw std::runtime_error("refused");
  }),
               std::runtime_error);
  db.commit_grouped([](Connection& conn) { conn.exec("INSERT INTO t VALUES (8)"); });
  EXPECT_EQ(values(db), (std::vector<std::int64_t>{8}));
}

}  // namespace
}  // namespace apiota::store::sqlite
