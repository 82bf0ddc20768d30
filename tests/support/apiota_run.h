#pragma once
// Test support: runs the real `apiota` binary once, outside ServerProcess:
// a start that should be refused (and exit), or a start that should come up
// and is then stopped, optionally as an unprivileged user.
//
// run_apiota() starts `apiota ARGS...` (stdout and stderr together into a
// temporary file it deletes afterwards) and waits until the process exits.
// With stop_when_serving_on set, it also polls GET /api/health on that
// loopback port: once it answers 200 the run counts as `served` and the
// process gets SIGTERM. After `limit` the process gets SIGKILL. Only the
// child it started is ever signalled, by its PID. It never fails a test;
// it throws std::runtime_error when the process cannot be started.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace apiota::testing {

struct RunOptions {
  std::optional<std::uint16_t> stop_when_serving_on;
  // Run with this user and group id (needs root): a test running as root sees
  // what an unprivileged user would, e.g. a folder it cannot write.
  std::optional<uid_t> as_user;
  std::chrono::seconds limit{20};
};

struct RunResult {
  int exit_code = -1;  // 128 + signal when a signal ended it, -1 when it had to be killed
  std::string out;     // stdout and stderr together
  bool served = false;
};

RunResult run_apiota(const std::vector<std::string>& args, const RunOptions& options = {});

}  // namespace apiota::testing
