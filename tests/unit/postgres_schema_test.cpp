// The PostgreSQL layer under the store: connections, results, errors, the
// pool and the schema migrations, against a real server started by the test
// harness (support/postgres_cluster.h).

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "store/postgres/connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/schema.h"
#include "support/postgres_cluster.h"

namespace apiota::store::postgres {
namespace {

using apiota::testing::PostgresCluster;
using apiota::testing::shared_postgres;

std::int64_t single_int(Connection& conn, const std::string& sql) {
  Result r = conn.exec(sql);
  EXPECT_TRUE(r.next()) << sql;
  return r.int64(0);
}

TEST(PostgresConnection, ParametersAndResultsRoundTripIncludingNull) {
  Connection conn(shared_postgres().uri());
  Result r = conn.exec("SELECT $1::bigint AS big, $2::float8 AS share, $3::text AS word, $4::text AS missing",
                       Params().add(std::int64_t{-9007199254740993}).add(0.1).add("é ' \" ;").add_null());
  ASSERT_EQ(r.rows(), 1);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.int64(0), -9007199254740993);
  EXPECT_DOUBLE_EQ(r.real(1), 0.1);
  EXPECT_EQ(r.text(2), "é ' \" ;");
  EXPECT_FALSE(r.optional_text(3));
  EXPECT_FALSE(r.optional_int64(3));
  const std::vector<std::string> names{"word", "big"};
  const auto indexes = r.column_indexes(1, names);
  EXPECT_EQ(std::vector<int>(indexes.begin(), indexes.end()), (std::vector<int>{2, 0}));
  EXPECT_FALSE(r.next());
}

TEST(PostgresConnection, AServerErrorCarriesItsSqlstateAndRollsTheTransactionBack) {
  Connection conn(shared_postgres().create_database());
  conn.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  {
    Transaction tx(conn);
    conn.exec("INSERT INTO t VALUES (1)");
    try {
      conn.exec("INSERT INTO t VALUES (1)");
      FAIL() << "a duplicate key was accepted";
    } catch (const PostgresError& e) {
      EXPECT_EQ(e.sqlstate(), "23505");
    }
  }
  EXPECT_EQ(single_int(conn, "SELECT COUNT(*) FROM t"), 0);
  EXPECT_TRUE(conn.usable());
}

TEST(PostgresConnection, AServerThatIsNotThereIsUnavailableNotAnotherError) {
  EXPECT_THROW(Connection("postgresql:///postgres?host=/nonexistent-apiota-socket-dir&connect_timeout=2"),
               StoreUnavailable);
}

TEST(PostgresPool, ReconnectsByItselfAfterTheServerRestarts) {
  PostgresCluster cluster;
  ConnectionPool pool(cluster.uri(), 2, std::chrono::seconds(5));
  { EXPECT_EQ(single_int(*pool.lease(), "SELECT 7"), 7); }
  cluster.stop();
  {
    auto lease = pool.lease();  // the idle connection, lost with the server
    EXPECT_THROW(lease->exec("SELECT 1"), StoreUnavailable);
  }
  EXPECT_THROW(pool.lease(), StoreUnavailable);  // a new connection, refused
  cluster.start();
  EXPECT_EQ(single_int(*pool.lease(), "SELECT 8"), 8);
}

TEST(PostgresPool, WaitsForAConnectionAndGivesUpAfterItsLimit) {
  ConnectionPool pool(shared_postgres().uri(), 1, std::chrono::milliseconds(200));
  auto held = pool.lease();
  EXPECT_THROW(pool.lease(), StoreUnavailable);
  std::thread returner([lease = std::move(held)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto gone = std::move(lease);
  });
  EXPECT_EQ(single_int(*pool.lease(), "SELECT 3"), 3);
  returner.join();
}

TEST(PostgresSchema, AFreshDatabaseLacksEveryMigrationAndHasThemAllOnceMigrated) {
  Connection conn(shared_postgres().create_database());
  EXPECT_EQ(pending_migrations(conn).size(), migrations().size());
  migrate(conn);
  EXPECT_TRUE(pending_migrations(conn).empty());
  migrate(conn);  // nothing left to do
  EXPECT_EQ(single_int(conn, "SELECT COUNT(*) FROM schema_migrations"), static_cast<std::int64_t>(migrations().size()));
  EXPECT_EQ(single_int(conn, "SELECT MAX(version) FROM schema_migrations"), latest_schema_version());
}

TEST(PostgresSchema, NodesStartingTogetherApplyEachMigrationOnce) {
  const std::string uri = shared_postgres().create_database();
  std::vector<std::thread> nodes;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&] {
      try {
        Connection conn(uri);
        migrate(conn);
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& node : nodes) node.join();
  EXPECT_EQ(failures, 0);
  Connection conn(uri);
  EXPECT_EQ(single_int(conn, "SELECT COUNT(*) FROM schema_migrations"), static_cast<std::int64_t>(migrations().size()));
}

TEST(PostgresSchema, ADatabaseOfANewerApiotaIsRefused) {
  Connection conn(shared_postgres().create_database());
  migrate(conn);
  conn.exec("INSERT INTO schema_migrations (version, description) VALUES ($1, 'from the future')",
            Params().add(latest_schema_version() + 1));
  EXPECT_THROW(pending_migrations(conn), StoreOpenError);
  EXPECT_THROW(migrate(conn), StoreOpenError);
}

TEST(PostgresSchema, TriggersKeepTheDeviceCountAndBumpTheCacheGenerations) {
  Connection conn(shared_postgres().create_database());
  migrate(conn);
  conn.exec_script(
      "INSERT INTO projects (id, name, max_devices, max_firmware_bytes, device_requests_per_minute, device_burst, "
      "created_at) VALUES ('p', 'P', 10, 100, 60, 10, 1)");
  const std::int64_t catalog = single_int(conn, "SELECT value FROM cache_generation WHERE name = 'catalog'");
  EXPECT_GT(catalog, 0);  // the project's insert
  conn.exec_script(
      "INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, registered_at, firmware_version) "
      "VALUES ('a', 'p', 's', 'h', 1, '1.0.0'), ('b', 'p', 's', 'h', 1, NULL)");
  EXPECT_EQ(single_int(conn, "SELECT device_count FROM projects WHERE id = 'p'"), 2);
  EXPECT_EQ(single_int(conn, "SELECT n FROM device_version_counts WHERE version = '1.0.0' AND known = 1"), 1);
  const std::int64_t devices = single_int(conn, "SELECT value FROM cache_generation WHERE name = 'devices'");
  conn.exec_script("UPDATE devices SET last_seen_at = 5, firmware_version = '1.1.0' WHERE device_id = 'a'");
  EXPECT_EQ(single_int(conn, "SELECT value FROM cache_generation WHERE name = 'devices'"), devices);  // an observation
  EXPECT_EQ(single_int(conn, "SELECT COUNT(*) FROM device_version_counts WHERE version = '1.0.0'"), 0);
  conn.exec_script("UPDATE devices SET blocked = 1 WHERE device_id = 'b'");
  EXPECT_EQ(single_int(conn, "SELECT value FROM cache_generation WHERE name = 'devices'"), devices + 1);
  conn.exec_script("DELETE FROM devices WHERE device_id = 'a'");
  EXPECT_EQ(single_int(conn, "SELECT device_count FROM projects WHERE id = 'p'"), 1);
  EXPECT_EQ(single_int(conn, "SELECT value FROM cache_generation WHERE name = 'catalog'"), catalog);
}

}  // namespace
}  // namespace apiota::store::postgres
