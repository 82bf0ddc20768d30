// apiota: a self-hosted OTA firmware update server for ESP32 fleets.
// The command line is described in README.md.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // sendfile() has no MSG_NOSIGNAL: a client resetting mid-download must not
  // kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);

  CLI::App app{"apiota - OTA firmware updates for ESP32 fleets", "apiota"};
  app.set_version_flag("--version", APIOTA_VERSION);
  app.require_subcommand(1);
  apiota::cli::add_serve_command(app);
  apiota::cli::add_keys_command(app);
  apiota::cli::add_projects_command(app);
  apiota::cli::add_devices_command(app);
  apiota::cli::add_config_command(app);
  apiota::cli::add_releases_command(app);
  apiota::cli::add_pins_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
