#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "service/audit.h"

namespace apiota::cli {
namespace {

struct Args {
  DataLocation data;
  std::string project, device, json;
};

// JSON given inline, as @FILE, or as - for standard input.
std::string document_text(const std::string& arg) {
  if (arg == "-") {
    std::stringstream in;
    in << std::cin.rdbuf();
    return in.str();
  }
  if (arg.starts_with("@")) {
    std::ifstream file(arg.substr(1));
    if (!file) throw std::invalid_argument("cannot read " + arg.substr(1));
    std::stringstream in;
    in << file.rdbuf();
    return in.str();
  }
  return arg;
}

// The device of --device (none with --project).
std::optional<store::DeviceRecord> check_scope(service::FleetAdministration& admin, const Args& args) {
  if (args.project.empty() == args.device.empty()) {
    throw UsageError("name exactly one of --project ID or --device ID");
  }
  if (!args.project.empty() && !admin.find_project(args.project)) {
    throw std::invalid_argument("no project " + args.project);
  }
  if (args.device.empty()) return std::nullopt;
  auto device = admin.find_device(args.device);
  if (!device) throw std::invalid_argument("no device " + args.device);
  return device;
}

void add_scope_options(CLI::App* cmd, Args& args) {
  cmd->add_option("--project", args.project, "the project's default config");
  cmd->add_option("--device", args.device, "one device's config (merged over the project default)");
  add_data_option(cmd, args.data);
}

}  // namespace

void add_config_command(CLI::App& app) {
  auto* config = app.add_subcommand("config", "set and show device config documents");
  config->require_subcommand(1);
  auto args = std::make_shared<Args>();

  auto* set = config->add_subcommand("set", "replace a config document (a JSON object)");
  set->add_option("JSON", args->json, "the object, @FILE, or - for stdin")->required();
  add_scope_options(set, *args);
  set->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    const auto device = check_scope(admin, *args);
    const std::string text = document_text(args->json);
    const store::ConfigRecord record = device ? admin.set_device_config(*device, text, service::kCliActor)
                                              : admin.set_project_config(args->project, text, service::kCliActor);
    std::cout << record.json << std::endl;
  });

  auto* get = config->add_subcommand("get", "print a stored config document");
  add_scope_options(get, *args);
  get->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    check_scope(admin, *args);
    auto record = args->project.empty() ? admin.device_config(args->device) : admin.project_config(args->project);
    std::cout << (record ? record->json : "{}") << std::endl;
  });
}

}  // namespace apiota::cli
