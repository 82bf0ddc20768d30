#include "support/raw_sql.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

namespace apiota::testing {
namespace {

class SqliteRaw final : public RawSql {
 public:
  explicit SqliteRaw(const std::filesystem::path& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK) << path;
  }
  ~SqliteRaw() override { sqlite3_close(db_); }

  std::vector<std::string> rows(const std::string& sql) override {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db_) << ": " << sql;
    std::vector<std::string> out;
    while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        if (i > 0) row += '|';
        row += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      out.push_back(row);
    }
    sqlite3_finalize(stmt);
    return out;
  }

  void exec(const std::string& sql) override {
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db_) << ": "
                                                                                      << sql;
  }

 private:
  sqlite3* db_ = nullptr;
};

class PostgresRaw final : public RawSql {
 public:
  explicit PostgresRaw(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
  }
  ~PostgresRaw() override { PQfinish(conn_); }

  std::vector<std::string> rows(const std::string& sql) override {
    PGresult* result = PQexec(conn_, sql.c_str());
    std::vector<std::string> out;
    if (PQresultStatus(result) != PGRES_TUPLES_OK && PQresultStatus(result) != PGRES_COMMAND_OK) {
      ADD_FAILURE() << PQerrorMessage(conn_) << ": " << sql;
    } else {
      for (int r = 0; r < PQntuples(result); ++r) {
        std::string row;
        for (int c = 0; c < PQnfields(result); ++c) {
          if (c > 0) row += '|';
          row += PQgetisnull(result, r, c) ? "NULL" : PQgetvalue(result, r, c);
        }
        out.push_back(row);
      }
    }
    PQclear(result);
    return out;
  }

  void exec(const std::string& sql) override { rows(sql); }

 private:
  PGconn* conn_;
};

}  // namespace

std::unique_ptr<RawSql> raw_sqlite(const std::filesystem::path& path) { return std::make_unique<SqliteRaw>(path); }

std::unique_ptr<RawSql> raw_postgres(const std::string& uri) { return std::make_unique<PostgresRaw>(uri); }

}  // namespace apiota::testing
