#include "support/cli_run.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace apiota::testing {
namespace {

std::filesystem::path temp_file(const std::string& content) {
  std::string name = (std::filesystem::temp_directory_path() / "apiota-cli-XXXXXX").string();
  int fd = ::mkstemp(name.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  std::ofstream(name, std::ios::binary) << content;
  return name;
}

std::string read_all(const std::filesystem::path& file) {
  std::stringstream text;
  text << std::ifstream(file, std::ios::binary).rdbuf();
  return text.str();
}

[[noreturn]] void exec_child(const CliRun& run, const std::filesystem::path& in, const std::filesystem::path& out,
                             const std::filesystem::path& err) {
  if (!run.cwd.empty() && ::chdir(run.cwd.c_str()) != 0) ::_exit(126);
  ::unsetenv("APIOTA_DATA");
  int in_fd = ::open(in.c_str(), O_RDONLY);
  int err_fd = ::open(err.c_str(), O_WRONLY | O_TRUNC);
  if (in_fd < 0 || err_fd < 0) ::_exit(126);
  ::dup2(in_fd, 0);
  ::dup2(err_fd, 2);
  if (!run.terminal) {
    int out_fd = ::open(out.c_str(), O_WRONLY | O_TRUNC);
    if (out_fd < 0) ::_exit(126);
    ::dup2(out_fd, 1);
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(APIOTA_BINARY));
  for (const auto& a : run.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

// Reads the terminal's side until the child closes it (EIO) or the deadline.
std::string drain_terminal(int master, std::chrono::steady_clock::time_point deadline) {
  std::string text;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    ssize_t n = ::read(master, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  std::string plain;
  for (char c : text) {
    if (c != '\r') plain.push_back(c);
  }
  return plain;
}

int wait_for(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      return -1;
    }
    pollfd none{-1, 0, 0};
    ::poll(&none, 0, 20);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

CliOutcome run_cli(const CliRun& run) {
  const auto in = temp_file(run.stdin_text);
  const auto out = temp_file("");
  const auto err = temp_file("");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  CliOutcome outcome;
  if (run.terminal) {
    int master = -1;
    pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) throw std::runtime_error("forkpty failed");
    if (pid == 0) exec_child(run, in, out, err);
    outcome.out = drain_terminal(master, deadline);
    outcome.exit_code = wait_for(pid, deadline);
    ::close(master);
  } else {
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) exec_child(run, in, out, err);
    outcome.exit_code = wait_for(pid, deadline);
    outcome.out = read_all(out);
  }
  outcome.err = read_all(err);
  for (const auto& file : {in, out, err}) std::filesystem::remove(file);
  return outcome;
}

std::vector<std::string> with_data(std::vector<std::string> args, const std::filesystem::path& data) {
  args.push_back("--data");
  args.push_back(data.string());
  return args;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace apiota::testing
