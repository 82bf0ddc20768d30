#include <boost/json.hpp>

#include <iostream>
#include <memory>

#include "api/admin/pin_operations.h"
#include "api/admin/render.h"
#include "api/audit.h"
#include "api/key_issuer.h"
#include "cli/commands.h"
#include "cli/data_folder.h"

namespace apiota::cli {
namespace {

struct Args {
  std::string data, project = std::string(api::kDefaultProjectId), device, tag, version;

  // The pin named by --device or --tag (exactly one).
  std::pair<std::string, std::string> target() const {
    if (device.empty() == tag.empty()) throw std::invalid_argument("name exactly one of --device ID or --tag TAG");
    return device.empty() ? std::pair{std::string("tag"), tag} : std::pair{std::string("device"), device};
  }
};

void add_target_options(CLI::App* cmd, Args& args) {
  cmd->add_option("--device", args.device, "pin one device");
  cmd->add_option("--tag", args.tag, "pin every device with this tag");
  cmd->add_option("--project", args.project, "project id (default: default)");
  add_data_option(cmd, args.data);
}

}  // namespace

void add_pins_command(CLI::App& app) {
  auto* pins = app.add_subcommand("pins", "hold devices or tags at an exact version");
  pins->require_subcommand(1);
  auto args = std::make_shared<Args>();

  auto* list = pins->add_subcommand("list", "a project's pins (JSON lines)");
  list->add_option("--project", args->project, "project id (default: default)");
  add_data_option(list, args->data);
  list->callback([args] {
    DataFolder data = DataFolder::open(args->data);
    for (const auto& p : data.store->list_pins(args->project)) {
      std::cout << boost::json::serialize(api::admin::render(p)) << "\n";
    }
  });

  auto* set = pins->add_subcommand("set", "pin a device or a tag at VERSION (a device pin beats a tag pin)");
  set->add_option("VERSION", args->version, "exact version")->required();
  add_target_options(set, *args);
  set->callback([args] {
    auto [scope, subject] = args->target();
    DataFolder data = DataFolder::open(args->data);
    auto pin = api::admin::set_pin(*data.store, args->project, scope, subject, args->version, api::kCliActor);
    std::cout << boost::json::serialize(api::admin::render(pin)) << std::endl;
  });

  auto* clear = pins->add_subcommand("clear", "remove a pin");
  add_target_options(clear, *args);
  clear->callback([args] {
    auto [scope, subject] = args->target();
    DataFolder data = DataFolder::open(args->data);
    api::admin::clear_pin(*data.store, args->project, scope, subject, api::kCliActor);
    std::cout << "Cleared the pin on " << scope << " " << subject << std::endl;
  });
}

}  // namespace apiota::cli
