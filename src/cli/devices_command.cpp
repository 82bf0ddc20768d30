#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>

#include "api/admin/device_tags.h"
#include "api/admin/render.h"
#include "api/audit.h"
#include "api/key_issuer.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/device_import.h"
#include "domain/channel.h"

namespace apiota::cli {
namespace {

struct Args {
  std::string data, id, channel, project = std::string(api::kDefaultProjectId);
  std::int64_t limit = 100, offset = 0;
  std::vector<std::string> tags;
  bool skip_conflicts = false;
};

store::DeviceRecord existing_device(DataFolder& data, const std::string& id) {
  auto dev = data.store->find_device(id);
  if (!dev) throw std::invalid_argument("no device " + id);
  return std::move(*dev);
}

void print(const boost::json::object& object) { std::cout << boost::json::serialize(object) << std::endl; }

void add_block(CLI::App* devices, const std::shared_ptr<Args>& args, const char* name, bool blocked) {
  auto* cmd = devices->add_subcommand(name, blocked ? "block a device (403 DEVICE_BLOCKED from then on)"
                                                    : "unblock a device");
  cmd->add_option("ID", args->id, "device id")->required();
  add_data_option(cmd, args->data);
  cmd->callback([args, blocked] {
    DataFolder data = DataFolder::open(args->data);
    store::DeviceRecord dev = existing_device(data, args->id);
    boost::json::object before = api::admin::render(dev);
    data.store->set_device_blocked(dev.project_id, dev.device_id, blocked);
    dev.blocked = blocked;
    api::record_audit(*data.store, dev.project_id, api::kCliActor, blocked ? "device.block" : "device.unblock",
                      "device:" + dev.device_id, before, api::admin::render(dev));
    print(api::admin::render(dev));
  });
}

}  // namespace

void add_devices_command(CLI::App& app) {
  auto* devices = app.add_subcommand("devices", "list, inspect and block devices");
  devices->require_subcommand(1);
  auto args = std::make_shared<Args>();

  auto* list = devices->add_subcommand("list", "list a project's devices (JSON lines)");
  list->add_option("--project", args->project, "project id (default: default)");
  list->add_option("--limit", args->limit, "at most this many");
  list->add_option("--offset", args->offset, "skip this many");
  add_data_option(list, args->data);
  list->callback([args] {
    DataFolder data = DataFolder::open(args->data);
    for (const auto& d : data.store->list_devices({args->project, args->limit, args->offset})) {
      std::cout << boost::json::serialize(api::admin::render(d)) << "\n";
    }
  });

  auto* show = devices->add_subcommand("show", "show one device");
  show->add_option("ID", args->id, "device id")->required();
  add_data_option(show, args->data);
  show->callback([args] {
    DataFolder data = DataFolder::open(args->data);
    print(api::admin::render(existing_device(data, args->id)));
  });

  add_block(devices, args, "block", true);
  add_block(devices, args, "unblock", false);

  auto* channel = devices->add_subcommand("channel", "set the channel a device follows");
  channel->add_option("ID", args->id, "device id")->required();
  channel->add_option("CHANNEL", args->channel, "stable, beta or dev")->required();
  add_data_option(channel, args->data);
  channel->callback([args] {
    auto parsed = domain::parse_channel(args->channel);
    if (!parsed) throw std::invalid_argument("channel must be stable, beta or dev");
    DataFolder data = DataFolder::open(args->data);
    store::DeviceRecord dev = existing_device(data, args->id);
    boost::json::object before = api::admin::render(dev);
    dev.channel = std::string(domain::to_string(*parsed));
    data.store->set_device_channel(dev.project_id, dev.device_id, dev.channel);
    api::record_audit(*data.store, dev.project_id, api::kCliActor, "device.channel", "device:" + dev.device_id, before,
                      api::admin::render(dev));
    print(api::admin::render(dev));
  });

  auto* tags = devices->add_subcommand("tags", "replace a device's tags (none: clear them)");
  tags->add_option("ID", args->id, "device id")->required();
  tags->add_option("TAGS", args->tags, "tags: 1-32 of a-z 0-9 . _ -");
  add_data_option(tags, args->data);
  tags->callback([args] {
    DataFolder data = DataFolder::open(args->data);
    store::DeviceRecord dev = existing_device(data, args->id);
    auto after = api::admin::replace_device_tags(*data.store, dev, args->tags, api::kCliActor);
    print(boost::json::object{{"device_id", dev.device_id}, {"tags", boost::json::value_from(after)}});
  });

  auto* import = devices->add_subcommand("import", "enroll devices in bulk from CSV: device_id,secret[,version]");
  import->add_option("FILE", args->id, "CSV file, or - for standard input")->required();
  import->add_option("--project", args->project, "project id (default: default)");
  import->add_option("--channel", args->channel, "channel of the new devices (default: stable)");
  import->add_flag("--skip-conflicts", args->skip_conflicts,
                   "import the other lines when some ids are registered with another secret or in another project "
                   "(default: report them and import nothing)");
  add_data_option(import, args->data);
  import->callback([args] {
    DataFolder data = DataFolder::open(args->data);
    std::ifstream file;
    if (args->id != "-") {
      file.open(args->id);
      if (!file) throw std::invalid_argument("cannot read " + args->id);
    }
    std::istream& csv = args->id == "-" ? std::cin : file;
    auto counts = import_devices(data, args->project, args->channel.empty() ? "stable" : args->channel, csv,
                                 args->skip_conflicts);
    for (const auto& conflict : counts.skipped) std::cerr << "skipped " << conflict << "\n";
    print(boost::json::object{
        {"created", counts.created}, {"existing", counts.existing}, {"skipped", counts.skipped.size()}});
  });

  auto* logs = devices->add_subcommand("logs", "a device's OTA reports, newest first (JSON lines)");
  logs->add_option("ID", args->id, "device id")->required();
  logs->add_option("--limit", args->limit, "at most this many");
  add_data_option(logs, args->data);
  logs->callback([args] {
    DataFolder data = DataFolder::open(args->data);
    existing_device(data, args->id);
    for (const auto& l : data.store->list_ota_logs(args->id, args->limit)) {
      std::cout << boost::json::serialize(api::admin::render(l)) << "\n";
    }
  });
}

}  // namespace apiota::cli
