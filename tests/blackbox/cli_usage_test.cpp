// The command line as a program: which data folder a command opens (only
// `serve` creates one), and its exit codes (0 success, 1 failure, 2 usage).

#include <gtest/gtest.h>

#include <filesystem>

#include "support/cli_run.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

class CliUsage : public ::testing::Test {
 protected:
  CliUsage() : dir_(std::filesystem::temp_directory_path() / ("apiota-cli-usage-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~CliUsage() override { std::filesystem::remove_all(dir_); }

  CliOutcome run(std::vector<std::string> args) { return run_cli({std::move(args), dir_}); }

  std::filesystem::path dir_;
};

TEST_F(CliUsage, ACommandOutsideAnyDataFolderCreatesNothingAndSaysWhy) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"devices", "list"}, {"keys", "list"}, {"audit"}}) {
    auto result = run(args);
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_NE(result.err.find("no apiota data folder at ./data (give --data or APIOTA_DATA)"), std::string::npos)
        << result.err;
    EXPECT_FALSE(std::filesystem::exists(dir_ / "data")) << args[0] << " created ./data";
  }
}

TEST_F(CliUsage, AnEmptyOrMissingDataFolderIsNotAnApiotaFolder) {
  std::filesystem::create_directory(dir_ / "empty");
  auto empty = run({"devices", "list", "--data", "empty"});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("no apiota data folder at empty"), std::string::npos) << empty.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "empty"));

  auto missing = run({"keys", "create", "--role", "admin", "--data", "elsewhere/data"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no apiota data folder at elsewhere/data"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "elsewhere"));
}

TEST_F(CliUsage, UsageErrorsExitTwoAndNameTheUnknownCommand) {
  auto bogus = run({"bogus"});
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_NE(bogus.err.find("'bogus' is not an apiota command"), std::string::npos) << bogus.err;

  auto nested = run({"devices", "bogus"});
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_NE(nested.err.find("'bogus' is not an apiota devices command"), std::string::npos) << nested.err;

  EXPECT_EQ(run({"devices", "show"}).exit_code, 2);                 // a required argument is missing
  EXPECT_EQ(run({"devices", "list", "--no-such-flag"}).exit_code, 2);  // an unknown option
  EXPECT_EQ(run({"devices", "list", "--limit", "many"}).exit_code, 2);  // not a number
  EXPECT_EQ(run({}).exit_code, 2);                                   // no command at all
}

TEST_F(CliUsage, HelpAndVersionSucceedAndFailuresExitOne) {
  EXPECT_EQ(run({"--help"}).exit_code, 0);
  EXPECT_EQ(run({"devices", "--help"}).exit_code, 0);
  EXPECT_EQ(run({"--version"}).exit_code, 0);

  ServerProcess server;
  auto missing = run(with_data({"devices", "show", "no-such-device"}, server.data_dir()));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no device no-such-device"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace apiota::testing
