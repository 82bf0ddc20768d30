#pragma once
// Test support: runs one `apiota` command line to completion with its
// streams kept apart, for black-box tests of the command line itself.
//
// run_cli() starts `apiota ARGS...` in `cwd` (the test's own when empty),
// without APIOTA_DATA in its environment, with `stdin_text` on standard
// input, and waits until it exits (SIGKILL after 30 s: exit_code -1). With
// `terminal` set, standard output is a pseudo-terminal (isatty(1) is true;
// the terminal's "\r\n" comes back as "\n"); otherwise a file. Standard error
// is always a file. Only the child it started is signalled, by its PID. It
// throws std::runtime_error when the process cannot be started.

#include <filesystem>
#include <string>
#include <vector>

namespace apiota::testing {

struct CliRun {
  std::vector<std::string> args = {};
  std::filesystem::path cwd = {};
  std::string stdin_text = {};
  bool terminal = false;
};

struct CliOutcome {
  int exit_code = -1;  // 128 + signal when a signal ended it
  std::string out;
  std::string err;
};

CliOutcome run_cli(const CliRun& run);

// `args` followed by `--data DATA`.
std::vector<std::string> with_data(std::vector<std::string> args, const std::filesystem::path& data);

// The non-empty lines of `text`.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace apiota::testing
