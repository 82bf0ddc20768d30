// apiota: a self-hosted OTA firmware update server for ESP32 fleets.
// The command line is described in README.md. Exit status: 0 success, 1 a
// command failed, 2 the command line itself is wrong (usage).

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "domain/printable.h"

namespace {

constexpr int kUsageError = 2;

// "'WORD' is not an apiota ... command" when the words before the first
// option name a command group and then something that is not one of its
// commands; nullopt when the command line names known commands.
std::optional<std::string> unknown_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* group = &app;
  std::string path = "apiota";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.starts_with("-")) return std::nullopt;
    auto commands = group->get_subcommands([](const CLI::App*) { return true; });
    if (commands.empty()) return std::nullopt;
    auto found = std::find_if(commands.begin(), commands.end(), [&](const CLI::App* c) { return c->check_name(word); });
    if (found == commands.end()) {
      return "'" + apiota::domain::printable(word) + "' is not an " + path + " command (see " + path + " --help)";
    }
    group = *found;
    path += " " + word;
  }
  return std::nullopt;
}

int usage_error(const std::string& message) {
  std::cerr << "error: " << message << "\nRun with --help for more information." << std::endl;
  return kUsageError;
}

}  // namespace

int main(int argc, char** argv) {
  // sendfile() has no MSG_NOSIGNAL: a client resetting mid-download must not
  // kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);

  CLI::App app{"apiota - OTA firmware updates for ESP32 fleets", "apiota"};
  app.set_version_flag("--version", APIOTA_VERSION);
  app.require_subcommand(1);
  app.footer("Exit status: 0 success, 1 failure, 2 usage error.");
  apiota::cli::add_serve_command(app);
  apiota::cli::add_keys_command(app);
  apiota::cli::add_projects_command(app);
  apiota::cli::add_devices_command(app);
  apiota::cli::add_config_command(app);
  apiota::cli::add_releases_command(app);
  apiota::cli::add_pins_command(app);
  apiota::cli::add_audit_command(app);
  apiota::cli::add_migrate_schema_command(app);
  apiota::cli::add_migrate_command(app);
  apiota::cli::add_json_flags(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    if (auto unknown = unknown_command(app, argc, argv)) return usage_error(*unknown);
    return usage_error(e.what());
  } catch (const apiota::cli::UsageError& e) {
    return usage_error(e.what());
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
