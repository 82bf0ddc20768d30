#include "support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/apiota_binary.h"
#include "support/http_checks.h"

namespace apiota::testing {
namespace {

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::filesystem::path make_temp_root() {
  std::random_device rd;
  auto root = std::filesystem::temp_directory_path() / ("apiota-test-" + std::to_string(::getpid()) + "-" +
                                                        std::to_string(rd()));
  std::filesystem::create_directories(root);
  return root;
}

int wait_for_exit(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& output, bool append, int cpu = -1,
            const std::optional<OpenFilesLimit>& open_files = std::nullopt) {
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (open_files) {
      rlimit limit{open_files->soft, open_files->hard};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::_exit(126);
    }
    if (cpu >= 0) {
      cpu_set_t mask;
      CPU_ZERO(&mask);
      CPU_SET(cpu, &mask);
      if (::sched_setaffinity(0, sizeof mask, &mask) != 0) ::_exit(126);
    }
    int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
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

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ServerProcess::ServerProcess(ServerSetup setup) : setup_(std::move(setup)) {
  // cpp-httplib writes without MSG_NOSIGNAL: a server that closes an upload
  // early must fail the request, not kill the test binary.
  ::signal(SIGPIPE, SIG_IGN);
  root_ = make_temp_root();
  data_dir_ = root_ / "data";
  log_path_ = root_ / "server.log";
  // free_port() closes the port before the server binds it; a test running
  // in parallel may take it in between. The server then refuses to start
  // ("in use"), and another port is tried.
  for (int attempt = 1;; ++attempt) {
    port_ = free_port();
    if (setup_.server_key) {
      std::filesystem::create_directories(data_dir_);
      std::filesystem::permissions(data_dir_, std::filesystem::perms::owner_all);
      std::filesystem::copy_file(*setup_.server_key, data_dir_ / "secret.key");
      std::filesystem::permissions(data_dir_ / "secret.key",
                                   std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    }
    try {
      start();
      break;
    } catch (const std::runtime_error&) {
      if (attempt == 5 || log().find("in use") == std::string::npos) throw;
      std::filesystem::remove_all(data_dir_);
      std::filesystem::remove(log_path_);
    }
  }
  std::smatch m;
  std::string text = log();
  static const std::regex kKey("admin key: (pk_live_[A-Za-z0-9]+)");
  if (std::regex_search(text, m, kKey)) admin_key_ = m[1];
  if (admin_key_.empty() && setup_.expect_admin_key) {
    stop();
    throw std::runtime_error("server printed no admin key:\n" + text);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
  expect_no_sanitizer_report(log());
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

void ServerProcess::start() {
  std::vector<std::string> args = {apiota_binary(), "serve",    "--listen", "127.0.0.1:" + std::to_string(port_),
                                   "--data",        data_dir_.string()};
  if (setup_.public_url) {
    args.push_back("--public-url");
    args.push_back(base_url());
  }
  for (const auto& a : setup_.extra_args) args.push_back(a);
  if (!setup_.store.empty()) {
    args.push_back("--store");
    args.push_back(setup_.store);
  }
  if (setup_.tls) {
    for (const std::string& a : {std::string("--tls-cert"), setup_.tls->cert_file, std::string("--tls-key"),
                                 setup_.tls->key_file}) {
      args.push_back(a);
    }
  }
  if (!setup_.config_toml.empty()) {
    auto config = root_ / "apiota.toml";
    std::ofstream(config) << setup_.config_toml;
    args.push_back("--config");
    args.push_back(config.string());
  }
  pid_ = spawn(args, log_path_, true, setup_.cpu, setup_.open_files);
  wait_until_healthy();
}

void ServerProcess::wait_until_healthy() {
  auto deadline = std::chrono::steady_clock::now() + setup_.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("apiota exited during start-up:\n" + log());
    }
    httplib::Client c = client();
    c.set_connection_timeout(0, 200000);
    if (auto res = c.Get("/api/health"); res && res->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  stop();  // given up: nothing may outlive the failed start
  throw std::runtime_error("apiota did not become healthy:\n" + log());
}

std::string ServerProcess::log() const { return read_file(log_path_); }

httplib::Client ServerProcess::client() const {
  httplib::Client c(base_url());
  if (setup_.tls) c.set_ca_cert_path(setup_.tls->ca_file);
  c.set_connection_timeout(5);
  c.set_read_timeout(30);
  c.set_write_timeout(30);
  c.set_keep_alive(false);
  return c;
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = wait_for_exit(pid_, std::chrono::seconds(15));
  if (code == -1) {
    ::kill(pid_, SIGKILL);
    wait_for_exit(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
  return code;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_for_exit(pid_, std::chrono::seconds(5));
  pid_ = -1;
}

CommandResult ServerProcess::cli(std::vector<std::string> args) const {
  std::vector<std::string> full = {apiota_binary()};
  for (auto& a : args) full.push_back(std::move(a));
  full.push_back("--data");
  full.push_back(data_dir_.string());
  if (!setup_.store.empty()) {
    full.push_back("--store");
    full.push_back(setup_.store);
  }
  auto output = root_ / "cli.out";
  pid_t pid = spawn(full, output, false);
  CommandResult result;
  result.exit_code = wait_for_exit(pid, std::chrono::seconds(30));
  result.out = read_file(output);
  expect_no_sanitizer_report(result.out);
  return result;
}

void expect_no_sanitizer_report(const std::string& output) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
    auto at = output.find(marker);
    if (at != std::string::npos) {
      ADD_FAILURE() << "apiota reported a sanitizer finding:\n" << output.substr(at > 2000 ? at - 2000 : 0, 8000);
      return;
    }
  }
}

boost::json::value json_of(const std::string& body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) {
    ADD_FAILURE() << "not JSON: " << body;
    return nullptr;
  }
  return value;
}

int register_device(httplib::Client& client, const std::string& device_id, const std::string& secret,
                    const std::string& key, const std::string& firmware_ver) {
  boost::json::object body{{"device_id", device_id}, {"device_secret", secret}, {"pk_key", key}};
  if (!firmware_ver.empty()) body["firmware_ver"] = firmware_ver;
  auto res = client.Post("/api/register", boost::json::serialize(body), "application/json");
  return res ? res->status : -1;
}

httplib::Result upload_firmware(httplib::Client& client, const std::string& admin_key,
                                const std::vector<std::uint8_t>& image, const std::string& version,
                                const std::string& channel, const std::string& project_id) {
  httplib::MultipartFormDataItems items = {
      {"file", std::string(image.begin(), image.end()), "firmware.bin", "application/octet-stream"},
      {"version", version, "", ""},
      {"channel", channel, "", ""},
  };
  if (!project_id.empty()) items.push_back({"project_id", project_id, "", ""});
  return client.Post("/api/firmware/upload", bearer(admin_key), items);
}

}  // namespace apiota::testing
