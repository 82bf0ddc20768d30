#pragma once
// Test support: runs the real `apiota` binary as a child process on a
// loopback port with a fresh temporary data folder, for black-box tests.
//
// The constructor picks a free port on 127.0.0.1 (another one if a parallel
// test took it first), starts
// `apiota serve --listen 127.0.0.1:PORT --data DIR --public-url http://127.0.0.1:PORT`
// (without --public-url when ServerSetup::public_url is false; plus
// `extra_args`; `--store` with ServerSetup::store), and returns once
// /api/health answers, with the admin key the server printed on first start
// (a start given up stops the server it began, so nothing is left running). stdout and stderr go to
// DIR/../server.log. The destructor stops the server (SIGTERM, then SIGKILL
// after 15 s) and deletes the folder. Only the child this object started is
// ever signalled, by its PID.

#include <httplib.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/tls_files.h"

namespace apiota::testing {

// RLIMIT_NOFILE for the server process, set in the child before exec.
struct OpenFilesLimit {
  unsigned long soft = 0;
  unsigned long hard = 0;
};

struct ServerSetup {
  std::vector<std::string> extra_args = {"--rate-limit", "off"};
  std::string config_toml;  // written to a file and passed with --config when not empty
  int cpu = -1;             // >= 0: the server may run on this CPU only (its affinity mask)
  std::optional<OpenFilesLimit> open_files = std::nullopt;  // the server starts with this open-files limit
  bool public_url = true;  // false: no --public-url, download URLs follow each request's Host
  // Set: the server speaks TLS with this certificate (--tls-cert, --tls-key),
  // base_url() is https:// and client() trusts the files' CA.
  std::optional<TlsFiles> tls = std::nullopt;
  // How long the server has to answer /api/health; past it the start is
  // given up and the server stopped.
  std::chrono::seconds start_timeout{20};
  // Set: a PostgreSQL store (--store) for the server and for cli().
  std::string store = {};
  // Set: copied into the data folder as secret.key before the first start (a
  // further node of a shared store needs the first node's key).
  std::optional<std::filesystem::path> server_key = std::nullopt;
  // False for a node joining a store that has keys already: no admin key is
  // printed then, and admin_key() is empty.
  bool expect_admin_key = true;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerSetup setup = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string base_url() const {
    return (setup_.tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
  }
  const std::string& admin_key() const { return admin_key_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string log() const;
  pid_t pid() const { return pid_; }

  // A client for this server with short timeouts and keep-alive off (over
  // TLS when the server speaks it, verifying its certificate).
  httplib::Client client() const;

  // SIGTERM and wait; returns the exit status (-1 if it had to be killed).
  int stop();
  // SIGKILL, no chance to flush anything.
  void kill_hard();
  // Starts again on the same port and data folder (after stop/kill_hard).
  void start();

  // Runs `apiota ARGS... --data DIR` (and `--store URI`) to completion.
  CommandResult cli(std::vector<std::string> args) const;

 private:
  void wait_until_healthy();

  ServerSetup setup_;
  std::filesystem::path root_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  std::string admin_key_;
};

// FAILs the test when `output` (a server log, a command's output) holds an
// AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer report. The
// destructor and cli() check every output they collect; under a sanitizer
// build (APIOTA_SANITIZE) this turns a finding in the server into a failure
// of the test that caused it.
void expect_no_sanitizer_report(const std::string& output);

// Parses a response body as JSON (FAILs the test and returns null on error).
boost::json::value json_of(const std::string& body);

// Registers a device with `key`; returns the HTTP status.
int register_device(httplib::Client& client, const std::string& device_id, const std::string& secret,
                    const std::string& key, const std::string& firmware_ver = "1.0.0");

// Uploads firmware bytes through multipart/form-data; returns the response.
httplib::Result upload_firmware(httplib::Client& client, const std::string& admin_key,
                                const std::vector<std::uint8_t>& image, const std::string& version,
                                const std::string& channel = "stable", const std::string& project_id = "");

}  // namespace apiota::testing
