#include <boost/json.hpp>

#include <iostream>
#include <memory>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/device_selection.h"
#include "cli/output.h"
#include "domain/pin_scope.h"
#include "service/audit.h"
#include "service/key_issuer.h"
#include "service/render.h"

namespace apiota::cli {
namespace {

const std::vector<Column> kPinColumns = {
    {"DEVICE", "device_id"}, {"TAG", "tag"}, {"VERSION", "version"}, {"CREATED", "created_at"}};

struct Args {
  DataLocation data;
  std::string project, device, tag, version;
};

// The pin named by --device or --tag (exactly one) and its project: a
// device's own (device ids are unique across projects), or --project
// (default: default) for a tag.
struct Target {
  std::string project;
  domain::PinScope scope;
  std::string subject;
};

Target target_of(service::FleetAdministration& admin, const Args& args) {
  if (args.device.empty() == args.tag.empty()) throw UsageError("name exactly one of --device ID or --tag TAG");
  if (!args.tag.empty()) {
    return {args.project.empty() ? std::string(service::kDefaultProjectId) : args.project, domain::PinScope::Tag,
            args.tag};
  }
  auto device = existing_device(admin, args.device);
  if (!args.project.empty() && args.project != device.project_id) {
    throw std::invalid_argument("device " + device.device_id + " belongs to project " + device.project_id + ", not " +
                                args.project);
  }
  return {device.project_id, domain::PinScope::Device, device.device_id};
}

void add_target_options(CLI::App* cmd, Args& args) {
  cmd->add_option("--device", args.device, "pin one device (any project)");
  cmd->add_option("--tag", args.tag, "pin every device of the project with this tag");
  cmd->add_option("--project", args.project, "the project of a tag pin (default: default)");
  add_data_option(cmd, args.data);
}

}  // namespace

void add_pins_command(CLI::App& app) {
  auto* pins = app.add_subcommand("pins", "hold devices or tags at an exact version");
  pins->require_subcommand(1);
  auto args = std::make_shared<Args>();

  auto* list = pins->add_subcommand("list", "a project's pins");
  list->add_option("--project", args->project, "project id (default: default)");
  add_data_option(list, args->data);
  list->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    std::vector<boost::json::object> rows;
    const std::string project = args->project.empty() ? std::string(service::kDefaultProjectId) : args->project;
    for (const auto& p : administration(data).list_pins(project)) rows.push_back(service::render(p));
    printer().list(kPinColumns, rows);
  });

  auto* set = pins->add_subcommand("set", "pin a device or a tag at VERSION (a device pin beats a tag pin)");
  set->add_option("VERSION", args->version, "exact version")->required();
  add_target_options(set, *args);
  set->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    const Target target = target_of(admin, *args);
    auto pin = admin.set_pin(target.project, target.scope, target.subject, args->version, service::kCliActor);
    printer().record(service::render(pin));
  });

  auto* clear = pins->add_subcommand("clear", "remove a pin");
  add_target_options(clear, *args);
  clear->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    const Target target = target_of(admin, *args);
    bool pinned = false;
    for (const auto& pin : admin.list_pins(target.project)) {
      pinned = pinned || (pin.scope == target.scope && pin.subject == target.subject);
    }
    if (!pinned) {
      throw std::invalid_argument("no pin on " + std::string(domain::to_string(target.scope)) + " " + target.subject +
                                  " in project " + target.project);
    }
    admin.clear_pin(target.project, target.scope, target.subject, service::kCliActor);
    std::cout << "Cleared the pin on " << domain::to_string(target.scope) << " " << target.subject << std::endl;
  });
}

}  // namespace apiota::cli
