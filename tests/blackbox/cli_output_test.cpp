// What the command line prints: aligned tables (lists) and field lines (one
// record) when standard output is a terminal; one JSON object per line with
// --json or whenever standard output is not a terminal.

#include <gtest/gtest.h>

#include "support/cli_run.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "cli-output-secret-0123";

class CliOutput : public ::testing::Test {
 protected:
  CliOutput() : client_(server_.client()) {
    for (const char* id : {"esp32-a", "esp32-with-a-much-longer-id"}) {
      EXPECT_EQ(register_device(client_, id, kSecret, server_.admin_key()), 200);
    }
    for (const char* version : {"1.1.0", "1.2.0"}) {
      auto res = upload_firmware(client_, server_.admin_key(), firmware_image(version, 2048), version);
      EXPECT_TRUE(res && res->status == 200);
    }
  }

  CliOutcome on_terminal(std::vector<std::string> args) {
    return run_cli({with_data(std::move(args), server_.data_dir()), {}, "", true});
  }
  CliOutcome piped(std::vector<std::string> args) { return run_cli({with_data(std::move(args), server_.data_dir())}); }

  ServerProcess server_;
  httplib::Client client_;
};

void expect_json_lines(const CliOutcome& result, std::size_t count) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto lines = lines_of(result.out);
  EXPECT_EQ(lines.size(), count) << result.out;
  for (const auto& line : lines) EXPECT_TRUE(json_of(line).is_object()) << line;
}

TEST_F(CliOutput, ListsOnATerminalAreAlignedTablesOfShortLines) {
  auto result = on_terminal({"devices", "list"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  const auto channel_column = lines[0].find("CHANNEL");
  ASSERT_NE(lines[0].find("DEVICE"), std::string::npos) << result.out;
  ASSERT_NE(channel_column, std::string::npos) << result.out;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].find("stable"), channel_column) << result.out;
    EXPECT_FALSE(lines[i].starts_with("{")) << result.out;
  }
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"devices", "list"}, {"releases", "list"}, {"keys", "list"}, {"projects", "list"}, {"audit"}, {"changelog"}}) {
    auto table = on_terminal(args);
    EXPECT_EQ(table.exit_code, 0) << args[0] << ": " << table.err;
    for (const auto& line : lines_of(table.out)) {
      EXPECT_LT(line.size(), 160u) << args[0] << ":\n" << table.out;
      EXPECT_FALSE(line.starts_with("{") || line.starts_with("[")) << args[0] << ":\n" << table.out;
    }
  }
}

TEST_F(CliOutput, OneRecordOnATerminalIsOneFieldPerLine) {
  auto result = on_terminal({"devices", "show", "esp32-a"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  bool channel_line = false;
  for (const auto& line : lines_of(result.out)) {
    EXPECT_FALSE(line.starts_with("{")) << result.out;
    if (line.starts_with("channel") && line.ends_with("stable")) channel_line = true;
  }
  EXPECT_TRUE(channel_line) << result.out;
}

TEST_F(CliOutput, JsonOrAPipeGivesOneObjectPerLineForEveryCommand) {
  expect_json_lines(on_terminal({"devices", "list", "--json"}), 2);
  expect_json_lines(on_terminal({"releases", "list", "--json"}), 2);
  expect_json_lines(piped({"devices", "list"}), 2);
  expect_json_lines(piped({"releases", "list"}), 2);
  expect_json_lines(piped({"changelog"}), 2);
  expect_json_lines(on_terminal({"changelog", "--json"}), 2);
  expect_json_lines(piped({"devices", "show", "esp32-a"}), 1);
}

TEST_F(CliOutput, MarkdownChangelogIsMarkdownEverywhere) {
  auto result = on_terminal({"changelog", "--markdown"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("1.2.0"), std::string::npos) << result.out;
  EXPECT_FALSE(result.out.starts_with("{")) << result.out;
}

}  // namespace
}  // namespace apiota::testing
