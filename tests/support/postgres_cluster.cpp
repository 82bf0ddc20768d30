#include "support/postgres_cluster.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace apiota::testing {
namespace {

constexpr const char* kSuperuser = "apiota";

// The bin folder of the newest PostgreSQL Debian installed
// (/usr/lib/postgresql/<major>/bin), or $APIOTA_PG_BINDIR.
std::filesystem::path server_bin_dir() {
  if (const char* set = std::getenv("APIOTA_PG_BINDIR")) return set;
  std::filesystem::path best;
  int best_major = -1;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string name = entry.path().filename().string();
    const int major = std::atoi(name.c_str());
    if (major > best_major && std::filesystem::exists(entry.path() / "bin" / "initdb")) {
      best_major = major;
      best = entry.path() / "bin";
    }
  }
  if (best.empty()) throw std::runtime_error("PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin)");
  return best;
}

// As root, the `postgres` account the server runs as; nullptr otherwise.
const passwd* server_account() {
  if (::geteuid() != 0) return nullptr;
  const passwd* account = ::getpwnam("postgres");
  if (account == nullptr) throw std::runtime_error("running as root, but there is no postgres user to run PostgreSQL");
  return account;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Starts `args` as the server account, output appended to `log`. With
// `tied`, the child gets SIGQUIT (PostgreSQL's immediate shutdown) when this
// process dies.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log, bool tied) {
  const passwd* account = server_account();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (account != nullptr && (::setgid(account->pw_gid) != 0 || ::setuid(account->pw_uid) != 0)) ::_exit(126);
    // After setuid, which clears it.
    if (tied && (::prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || ::getppid() != parent)) ::_exit(126);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::close(fd);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

PostgresCluster::PostgresCluster() {
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() /
         ("apiota-pg-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000));
  std::filesystem::create_directories(dir_);
  if (const passwd* account = server_account()) {
    if (::chown(dir_.c_str(), account->pw_uid, account->pw_gid) != 0) {
      throw std::runtime_error("cannot hand " + dir_.string() + " to the postgres user");
    }
  }
  const std::filesystem::path bin = server_bin_dir();
  const int initdb = wait_exit(spawn({(bin / "initdb").string(), "-D", (dir_ / "data").string(), "-U", kSuperuser,
                                      "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"},
                                     dir_ / "initdb.log", false));
  if (initdb != 0) {
    const std::string log = read_file(dir_ / "initdb.log");
    std::filesystem::remove_all(dir_);
    throw std::runtime_error("initdb failed (" + std::to_string(initdb) + "): " + log);
  }
  start();
}

PostgresCluster::~PostgresCluster() {
  if (server_ > 0) {
    ::kill(server_, SIGQUIT);
    wait_exit(server_);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PostgresCluster::uri(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + dir_.string() + "&user=" + kSuperuser;
}

void PostgresCluster::start() {
  if (server_ > 0) return;
  server_ = spawn({(server_bin_dir() / "postgres").string(), "-D", (dir_ / "data").string(), "-c",
                   "listen_addresses=", "-c", "unix_socket_directories=" + dir_.string(), "-c", "fsync=off", "-c",
                   "full_page_writes=off", "-c", "max_connections=200", "-c", "log_min_messages=warning"},
                  dir_ / "server.log", true);
  const std::string conninfo = uri();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (PQping(conninfo.c_str()) != PQPING_OK) {
    int status = 0;
    if (::waitpid(server_, &status, WNOHANG) == server_ || std::chrono::steady_clock::now() > deadline) {
      ::kill(server_, SIGQUIT);
      wait_exit(server_);
      server_ = -1;
      throw std::runtime_error("PostgreSQL did not start: " + read_file(dir_ / "server.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void PostgresCluster::stop() {
  if (server_ <= 0) return;
  ::kill(server_, SIGINT);  // fast shutdown
  wait_exit(server_);
  server_ = -1;
}

std::string PostgresCluster::create_database() {
  const std::string name = "test_" + std::to_string(++databases_);
  PGconn* conn = PQconnectdb(uri().c_str());
  PGresult* result = PQexec(conn, ("CREATE DATABASE " + name + " TEMPLATE template0").c_str());
  const bool created = PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string error = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!created) throw std::runtime_error("CREATE DATABASE failed: " + error);
  return uri(name);
}

PostgresCluster& shared_postgres() {
  static PostgresCluster cluster;
  return cluster;
}

}  // namespace apiota::testing
