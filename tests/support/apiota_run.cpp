#include "support/apiota_run.h"

#include <fcntl.h>
#include <grp.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/apiota_binary.h"

namespace apiota::testing {
namespace {

std::optional<int> exit_status(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) return std::nullopt;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool healthy(std::uint16_t port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(0, 200000);
  client.set_read_timeout(1);
  auto res = client.Get("/api/health");
  return res && res->status == 200;
}

pid_t spawn(const std::vector<std::string>& args, int output_fd, std::optional<uid_t> as_user) {
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (as_user && (::setgroups(0, nullptr) != 0 || ::setgid(*as_user) != 0 || ::setuid(*as_user) != 0)) ::_exit(126);
    ::dup2(output_fd, 1);
    ::dup2(output_fd, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(apiota_binary()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

RunResult run_apiota(const std::vector<std::string>& args, const RunOptions& options) {
  std::string output = (std::filesystem::temp_directory_path() / "apiota-run-XXXXXX").string();
  int fd = ::mkstemp(output.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  pid_t pid = spawn(args, fd, options.as_user);
  ::close(fd);

  RunResult result;
  const auto deadline = std::chrono::steady_clock::now() + options.limit;
  std::optional<int> code;
  while (!(code = exit_status(pid))) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      code = -1;
      break;
    }
    if (!result.served && options.stop_when_serving_on && healthy(*options.stop_when_serving_on)) {
      result.served = true;
      ::kill(pid, SIGTERM);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  result.exit_code = *code;
  std::stringstream text;
  text << std::ifstream(output).rdbuf();
  result.out = text.str();
  std::filesystem::remove(output);
  return result;
}

}  // namespace apiota::testing
