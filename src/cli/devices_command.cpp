#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/device_import.h"
#include "cli/device_selection.h"
#include "cli/output.h"
#include "service/audit.h"
#include "service/key_issuer.h"
#include "service/render.h"

namespace apiota::cli {
namespace {

struct Args {
  DataLocation data;
  std::string id, channel, reason, project = std::string(service::kDefaultProjectId);
  std::int64_t limit = 100, offset = 0;
  std::vector<std::string> words, tags, add, remove;
  std::string tag, ids_from;
  bool clear = false, skip_conflicts = false;
};

const std::vector<Column> kDeviceColumns = {
    {"DEVICE", "device_id"},      {"CHANNEL", "channel"},         {"VERSION", "firmware_version"},
    {"LAST SEEN", "last_seen_at"}, {"ADDRESS", "last_address"},   {"BLOCKED", "blocked"},
    {"REASON", "blocked_reason"}, {"UPDATING TO", "update_attempt.version"}};
const std::vector<Column> kTagColumns = {{"DEVICE", "device_id"}, {"TAGS", "tags"}};
const std::vector<Column> kLogColumns = {{"ID", "id"},         {"RECEIVED", "received_at"},  {"STATUS", "status"},
                                         {"FROM", "from_version"}, {"TO", "to_version"}, {"MESSAGE", "message"}};

// --tag / --ids-from / --project: the devices a channel or tags change applies to.
void add_selection_options(CLI::App* cmd, Args& args) {
  cmd->add_option("--tag", args.tag, "every device of the project with this tag");
  cmd->add_option("--ids-from", args.ids_from, "the device ids in FILE, one per line (- for standard input)");
  cmd->add_option("--project", args.project, "the project searched with --tag (default: default)");
  add_data_option(cmd, args.data);
}

// Without --tag or --ids-from the first word is the device id.
DeviceSelection selection_of(Args& args) {
  DeviceSelection selection{"", args.tag, args.ids_from, args.project};
  if (args.tag.empty() && args.ids_from.empty() && !args.words.empty()) {
    selection.id = args.words.front();
    args.words.erase(args.words.begin());
  }
  return selection;
}

void add_block(CLI::App* devices, const std::shared_ptr<Args>& args, const char* name, bool blocked) {
  auto* cmd = devices->add_subcommand(name, blocked ? "block a device (403 DEVICE_BLOCKED from then on)"
                                                    : "unblock a device (its block reason is dropped)");
  cmd->add_option("ID", args->id, "device id")->required();
  if (blocked) cmd->add_option("--reason", args->reason, "why (shown with the device and in the audit log)");
  add_data_option(cmd, args->data);
  cmd->callback([args, blocked] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    auto device = admin.set_blocked(existing_device(admin, args->id), blocked, args->reason, service::kCliActor);
    printer().record(service::render(device));
  });
}

void add_channel(CLI::App* devices, const std::shared_ptr<Args>& args) {
  auto* cmd = devices->add_subcommand("channel", "set the channel of a device, or of many (--tag, --ids-from)");
  cmd->add_option("ARGS", args->words, "ID CHANNEL, or CHANNEL with --tag or --ids-from (stable, beta or dev)");
  add_selection_options(cmd, *args);
  cmd->callback([args] {
    DeviceSelection selection = selection_of(*args);
    if (args->words.size() != 1) throw UsageError("give the channel (stable, beta or dev) after the devices");
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    std::vector<boost::json::object> changed;
    for (auto& device : select_devices(admin, selection)) {
      changed.push_back(
          service::render(admin.set_channel(std::move(device), args->words.front(), service::kCliActor)));
    }
    printer().list(kDeviceColumns, changed);
  });
}

// The tags a device ends with: the given ones (or none with --clear), or its
// own with --add and --remove applied.
std::vector<std::string> new_tags(const Args& args, std::vector<std::string> current) {
  if (args.clear) return {};
  if (args.add.empty() && args.remove.empty()) return args.words;
  std::set<std::string> tags(current.begin(), current.end());
  tags.insert(args.add.begin(), args.add.end());
  for (const auto& tag : args.remove) tags.erase(tag);
  return {tags.begin(), tags.end()};
}

void add_tags(CLI::App* devices, const std::shared_ptr<Args>& args) {
  auto* cmd = devices->add_subcommand(
      "tags", "replace the tags of a device, or of many (--tag, --ids-from); --add/--remove change some, --clear all");
  cmd->add_option("ARGS", args->words, "ID TAG..., or TAG... with --tag or --ids-from (1-32 of a-z 0-9 . _ -)");
  cmd->add_option("--add", args->add, "add this tag, keep the others (repeatable)");
  cmd->add_option("--remove", args->remove, "remove this tag, keep the others (repeatable)");
  cmd->add_flag("--clear", args->clear, "remove every tag");
  add_selection_options(cmd, *args);
  cmd->callback([args] {
    DeviceSelection selection = selection_of(*args);
    const int ways = !args->words.empty() + args->clear + !(args->add.empty() && args->remove.empty());
    if (ways != 1) throw UsageError("give the new tags, --add/--remove TAG, or --clear (exactly one of them)");
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    std::vector<boost::json::object> changed;
    for (const auto& device : select_devices(admin, selection)) {
      auto tags = new_tags(*args, admin.device_tags(device.device_id));
      auto after = admin.replace_tags(device, tags, service::kCliActor);
      changed.push_back({{"device_id", device.device_id}, {"tags", boost::json::value_from(after)}});
    }
    printer().list(kTagColumns, changed);
  });
}

}  // namespace

void add_devices_command(CLI::App& app) {
  auto* devices = app.add_subcommand("devices", "list, inspect, block and group devices");
  devices->require_subcommand(1);
  auto args = std::make_shared<Args>();

  auto* list = devices->add_subcommand("list", "list a project's devices");
  list->add_option("--project", args->project, "project id (default: default)");
  list->add_option("--limit", args->limit, "at most this many");
  list->add_option("--offset", args->offset, "skip this many");
  add_data_option(list, args->data);
  list->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    std::vector<boost::json::object> rows;
    for (const auto& d : administration(data).list_devices({args->project, args->limit, args->offset})) {
      rows.push_back(service::render(d));
    }
    printer().list(kDeviceColumns, rows);
  });

  auto* show = devices->add_subcommand("show", "show one device, with its tags");
  show->add_option("ID", args->id, "device id")->required();
  add_data_option(show, args->data);
  show->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    auto device = existing_device(admin, args->id);
    boost::json::object out = service::render(device);
    out["tags"] = boost::json::value_from(admin.device_tags(device.device_id));
    printer().record(out);
  });

  add_block(devices, args, "block", true);
  add_block(devices, args, "unblock", false);
  add_channel(devices, args);
  add_tags(devices, args);

  auto* import = devices->add_subcommand("import", "enroll devices in bulk from CSV: device_id,secret[,version]");
  import->add_option("FILE", args->id, "CSV file, or - for standard input")->required();
  import->add_option("--project", args->project, "project id (default: default)");
  import->add_option("--channel", args->channel, "channel of the new devices (default: stable)");
  import->add_flag("--skip-conflicts", args->skip_conflicts,
                   "import the other lines when some ids are registered with another secret or in another project "
                   "(default: report them and import nothing)");
  add_data_option(import, args->data);
  import->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    std::ifstream file;
    if (args->id != "-") {
      file.open(args->id);
      if (!file) throw std::invalid_argument("cannot read " + args->id);
    }
    std::istream& csv = args->id == "-" ? std::cin : file;
    auto counts = import_devices(data, args->project, args->channel.empty() ? "stable" : args->channel, csv,
                                 args->skip_conflicts);
    for (const auto& conflict : counts.skipped) std::cerr << "skipped " << conflict << "\n";
    printer().record(boost::json::object{
        {"created", counts.created}, {"existing", counts.existing}, {"skipped", counts.skipped.size()}});
  });

  auto* logs = devices->add_subcommand("logs", "a device's OTA reports, newest first");
  logs->add_option("ID", args->id, "device id")->required();
  logs->add_option("--limit", args->limit, "at most this many");
  add_data_option(logs, args->data);
  logs->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    existing_device(admin, args->id);
    std::vector<boost::json::object> rows;
    for (const auto& l : admin.ota_logs(args->id, args->limit)) rows.push_back(service::render(l));
    printer().list(kLogColumns, rows);
  });
}

}  // namespace apiota::cli
