#include "domain/ota_status.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace apiota::domain;

namespace {

struct StatusCase {
  const char* name;
  OtaStatus status;
  bool terminal;
  bool in_progress;
};

const std::vector<StatusCase>& all_statuses() {
  static const std::vector<StatusCase> cases = {
      {"pending", OtaStatus::Pending, false, false},
      {"checking", OtaStatus::Checking, false, false},
      {"downloading", OtaStatus::Downloading, false, true},
      {"verifying", OtaStatus::Verifying, false, true},
      {"flashing", OtaStatus::Flashing, false, true},
      {"rebooting", OtaStatus::Rebooting, false, true},
      {"done", OtaStatus::Done, true, false},
      {"failed", OtaStatus::Failed, true, false},
  };
  return cases;
}

TEST(OtaStatus, ParsesAndSpellsAllEightStatuses) {
  ASSERT_EQ(all_statuses().size(), 8u);
  for (const StatusCase& c : all_statuses()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(parse_ota_status(c.name), c.status);
    EXPECT_EQ(to_string(c.status), c.name);
  }
}

TEST(OtaStatus, ClassifiesTerminalAndInProgress) {
  for (const StatusCase& c : all_statuses()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(is_terminal(c.status), c.terminal);
    EXPECT_EQ(is_in_progress(c.status), c.in_progress);
  }
}

TEST(OtaStatus, RejectsUnknownNames) {
  const std::vector<std::string> cases = {"",        "Done",    "DONE",     "done ",    " failed", "success",
                                          "error",   "fail",    "complete", "download", "pending\n",
                                          std::string("done\0", 5)};
  for (const std::string& input : cases) {
    EXPECT_FALSE(parse_ota_status(input).has_value()) << "accepted '" << input << "'";
  }
}

}  // namespace
