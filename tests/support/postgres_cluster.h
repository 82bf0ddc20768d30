#pragma once
// Test support: a throwaway PostgreSQL server (Debian's postgresql package)
// in a temporary folder of its own, for the tests of one process. initdb
// makes the cluster; the server runs as this process's child, listening on
// a Unix socket in that folder only (no TCP port at all), with fsync off.
// It is stopped and its folder removed when the object is destroyed, and it
// also stops by itself if this process dies first (the parent-death signal),
// so no server outlives the tests. As root (the CI machines), initdb and the
// server run as the `postgres` user, as PostgreSQL refuses to run as root.
//
// Throws std::runtime_error, with the server's log, when the cluster cannot
// be made or the server does not become ready within 30 s.

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace apiota::testing {

class PostgresCluster {
 public:
  PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  ~PostgresCluster();

  // A libpq connection URI for `database` as the superuser `apiota`.
  std::string uri(const std::string& database = "postgres") const;
  // Creates a new, empty database and returns its URI.
  std::string create_database();

  // Fast shutdown (sessions are ended, nothing is lost); start() brings the
  // same cluster back, on the same socket.
  void stop();
  void start();
  bool running() const { return server_ > 0; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  pid_t server_ = -1;
  int databases_ = 0;
};

// One cluster for all the tests of this process, started on first use and
// stopped when the process exits.
PostgresCluster& shared_postgres();

}  // namespace apiota::testing
