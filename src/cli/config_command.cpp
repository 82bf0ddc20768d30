#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "service/config_document.h"
#include "service/audit.h"
#include "service/clock.h"
#include "cli/commands.h"
#include "cli/data_folder.h"

namespace apiota::cli {
namespace {

struct Args {
  std::string data, project, device, json;
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

void check_scope(DataFolder& data, const Args& args) {
  if (args.project.empty() == args.device.empty()) {
    throw UsageError("name exactly one of --project ID or --device ID");
  }
  if (!args.project.empty() && !data.store->find_project(args.project)) {
    throw std::invalid_argument("no project " + args.project);
  }
  if (!args.device.empty() && !data.store->find_device(args.device)) {
    throw std::invalid_argument("no device " + args.device);
  }
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
    check_scope(data, *args);
    store::ConfigRecord record = service::make_config_record(document_text(args->json));
    if (!args->project.empty()) {
      auto before = data.store->project_config(args->project);
      data.store->set_project_config(args->project, record);
      service::record_audit(*data.store, args->project, service::kCliActor, "config.project", "project:" + args->project,
                        service::config_json(before), service::config_json(record));
    } else {
      auto before = data.store->device_config(args->device);
      data.store->set_device_config(args->device, record);
      service::record_audit(*data.store, data.store->find_device(args->device)->project_id, service::kCliActor,
                        "config.device", "device:" + args->device, service::config_json(before),
                        service::config_json(record));
    }
    std::cout << record.json << std::endl;
  });

  auto* get = config->add_subcommand("get", "print a stored config document");
  add_scope_options(get, *args);
  get->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    check_scope(data, *args);
    auto record = args->project.empty() ? data.store->device_config(args->device)
                                        : data.store->project_config(args->project);
    std::cout << (record ? record->json : "{}") << std::endl;
  });
}

}  // namespace apiota::cli
