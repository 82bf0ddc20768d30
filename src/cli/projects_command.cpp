#include <boost/json.hpp>

#include <memory>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/output.h"
#include "service/audit.h"
#include "service/render.h"

namespace apiota::cli {
namespace {

const std::vector<Column> kProjectColumns = {{"ID", "id"},
                                             {"NAME", "name"},
                                             {"MAX DEVICES", "plan.max_devices"},
                                             {"MAX FIRMWARE BYTES", "plan.max_firmware_bytes"},
                                             {"DEVICE RPM", "plan.device_requests_per_minute"},
                                             {"DEVICE BURST", "plan.device_burst"},
                                             {"CREATED", "created_at"}};

}  // namespace

void add_projects_command(CLI::App& app) {
  auto* projects = app.add_subcommand("projects", "create projects and set their plans");
  projects->require_subcommand(1);

  struct Args {
    DataLocation data;
    std::string id, name;
    std::optional<std::int64_t> max_devices, max_firmware_bytes;
    std::optional<double> device_rpm, device_burst;
  };
  auto args = std::make_shared<Args>();

  auto* create = projects->add_subcommand("create", "create a project with the default plan");
  create->add_option("ID", args->id, "project id: 1-32 of a-z 0-9 -")->required();
  create->add_option("--name", args->name, "display name");
  add_data_option(create, args->data);
  create->callback([args] {
    service::FleetAdministration::check_project_id(args->id);  // before the data folder is looked for
    DataFolder data = DataFolder::open_existing(args->data);
    printer().record(service::render(administration(data).create_project(args->id, args->name, service::kCliActor)));
  });

  auto* list = projects->add_subcommand("list", "list projects");
  add_data_option(list, args->data);
  list->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    std::vector<boost::json::object> rows;
    for (const auto& p : administration(data).list_projects()) rows.push_back(service::render(p));
    printer().list(kProjectColumns, rows);
  });

  auto* plan = projects->add_subcommand("plan", "change a project's plan limits");
  plan->add_option("ID", args->id, "project id")->required();
  plan->add_option("--max-devices", args->max_devices, "device limit");
  plan->add_option("--max-firmware-bytes", args->max_firmware_bytes, "firmware size limit (<= 32 MiB)");
  plan->add_option("--device-rpm", args->device_rpm, "requests per minute per device");
  plan->add_option("--device-burst", args->device_burst, "burst per device");
  add_data_option(plan, args->data);
  plan->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    const service::PlanChange change{args->max_devices, args->max_firmware_bytes, args->device_rpm, args->device_burst};
    printer().record(service::render(administration(data).change_plan(args->id, change, service::kCliActor)));
  });
}

}  // namespace apiota::cli
