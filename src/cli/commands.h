#pragma once
// The `apiota` command line (documented in the README): each function adds
// one top-level subcommand to the app. Commands that change data open the
// data folder directly and work while a server runs on it; the server sees
// the change on its next read. A command reports failure by throwing
// std::exception (main() prints it and exits 1), and a command line that
// does not say what to do by throwing UsageError (exit 2, like CLI11's own
// parse errors). Commands other than `serve` open the data folder with
// DataFolder::open_existing() and print records through cli/output.h.

#include <CLI/CLI.hpp>

#include "cli/data_location.h"

#include <stdexcept>
#include <string>

namespace apiota::cli {

class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

void add_serve_command(CLI::App& app);
void add_keys_command(CLI::App& app);
void add_projects_command(CLI::App& app);
void add_devices_command(CLI::App& app);
void add_config_command(CLI::App& app);
void add_releases_command(CLI::App& app);
void add_pins_command(CLI::App& app);
void add_audit_command(CLI::App& app);
void add_migrate_schema_command(CLI::App& app);
void add_migrate_command(CLI::App& app);

// Adds `--data DIR` (env APIOTA_DATA, default ./data) and `--store URI`
// (env APIOTA_STORE, default: SQLite in the data folder) to a subcommand.
void add_data_option(CLI::App* command, DataLocation& target);

}  // namespace apiota::cli
