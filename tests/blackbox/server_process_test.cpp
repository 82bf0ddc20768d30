// The black-box harness itself (support/server_process.h): a server that
// starts but never answers its health check is stopped when the start is
// given up, so a failed start leaves no server running behind the test.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "support/server_process.h"

namespace apiota::testing {
namespace {

// Child processes of this test binary, zombies included (a child killed
// but not reaped is still a leak of its PID).
int children_of_this_process() {
  int count = 0;
  const std::string me = std::to_string(::getpid());
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!stat || !std::getline(stat, line)) continue;
    const auto end_of_name = line.rfind(')');
    if (end_of_name == std::string::npos) continue;
    // After "(comm)": state, then the parent's PID.
    std::istringstream rest(line.substr(end_of_name + 2));
    std::string state;
    std::string parent;
    rest >> state >> parent;
    if (parent == me) ++count;
  }
  return count;
}

TEST(ServerProcessHarness, AStartThatNeverBecomesHealthyLeavesNoServerRunning) {
  ServerSetup setup;
  // The health probe comes from 127.0.0.1, a trusted proxy that must start
  // with a PROXY header: it is refused, and the server never looks healthy.
  setup.extra_args = {"--rate-limit", "off", "--trusted-proxies", "127.0.0.1", "--proxy-protocol", "on"};
  setup.start_timeout = std::chrono::seconds(2);
  const int before = children_of_this_process();
  EXPECT_THROW(ServerProcess server(setup), std::runtime_error);
  EXPECT_EQ(children_of_this_process(), before) << "the server of the failed start is still running";
}

}  // namespace
}  // namespace apiota::testing
