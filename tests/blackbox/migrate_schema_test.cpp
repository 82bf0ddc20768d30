// `apiota migrate-schema` against a real PostgreSQL server started by the
// harness: --dry-run prints the SQL and changes nothing, a run applies it
// once, and bad or unreachable stores fail with a clear message that never
// repeats the password.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <string>

#include "support/cli_run.h"
#include "support/postgres_cluster.h"

namespace apiota::testing {
namespace {

// Whether the database at `uri` has apiota's migrations table.
bool has_migrations_table(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  PGresult* r = PQexec(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL");
  const bool has = PQresultStatus(r) == PGRES_TUPLES_OK && std::string(PQgetvalue(r, 0, 0)) == "t";
  PQclear(r);
  PQfinish(conn);
  return has;
}

TEST(MigrateSchema, DryRunPrintsTheMissingMigrationsAndChangesNothing) {
  const std::string uri = shared_postgres().create_database();
  auto dry = run_cli({{"migrate-schema", "--store", uri, "--dry-run"}});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("-- migration 1: "), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("CREATE TABLE devices"), std::string::npos);
  EXPECT_NE(dry.out.find("-- migration 2: "), std::string::npos);
  EXPECT_FALSE(has_migrations_table(uri));

  auto applied = run_cli({{"migrate-schema", "--store", uri}});
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.out.find("-- applied migration 1: "), std::string::npos) << applied.out;
  EXPECT_TRUE(has_migrations_table(uri));

  auto again = run_cli({{"migrate-schema", "--store", uri, "--dry-run"}});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("-- the schema is up to date (version 4)"), std::string::npos) << again.out;
}

TEST(MigrateSchema, ANonPostgresStoreIsAUsageError) {
  auto none = run_cli({{"migrate-schema", "--dry-run"}});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("needs --store postgres://"), std::string::npos) << none.err;
  auto folder = run_cli({{"migrate-schema", "--store", "./data"}});
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_NE(folder.err.find("a SQLite data folder is migrated by apiota itself"), std::string::npos) << folder.err;
}

TEST(MigrateSchema, AnUnreachableServerFailsClearlyWithoutShowingThePassword) {
  auto result = run_cli(
      {{"migrate-schema", "--store",
        "postgresql://apiota:hunter2-secret@/apiota?host=/nonexistent-apiota-socket&connect_timeout=2"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot connect to PostgreSQL"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("hunter2-secret"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace apiota::testing
