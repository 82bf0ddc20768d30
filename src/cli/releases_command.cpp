#include <boost/json.hpp>

#include <iostream>
#include <memory>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/output.h"
#include "cli/release_lookup.h"
#include "cli/release_upload_command.h"
#include "cli/stage_syntax.h"
#include "service/audit.h"
#include "service/changelog.h"
#include "service/key_issuer.h"
#include "service/render.h"

namespace apiota::cli {
namespace {

struct Args {
  DataLocation data;
  std::string project = std::string(service::kDefaultProjectId), notes, reason, channel;
  std::string only_project;  // --project with a release id: a check, not a search scope
  std::int64_t id = 0;
  std::int64_t target = 0;
  double percent = 100;
  bool markdown = false;
  std::vector<std::string> tags, devices, stages;
  double max_failure_rate = 0.2;
  std::int64_t window = 20, min_attempts = 5, stuck_after = 3600;
  bool clear = false, clear_tags = false, clear_devices = false;
};

const std::vector<Column> kReleaseColumns = {
    {"ID", "id"},         {"VERSION", "version"},        {"CHANNEL", "channel"},       {"STATE", "state"},
    {"ROLLOUT %", "rollout_percent"}, {"STAGE", "stage"}, {"SIZE", "size"}, {"CHIP", "chip"},
    {"UPLOADED", "uploaded_at"}};
const std::vector<Column> kChangelogColumns = {
    {"ID", "id"},          {"VERSION", "version"},      {"CHANNEL", "channel"},
    {"STATE", "state"},    {"ROLLOUT %", "rollout_percent"}, {"INSTALLS", "installs"},
    {"FAILURES", "failures"}, {"STUCK", "stuck"},        {"BOOT ROLLBACKS", "bootloader_rollbacks"},
    {"ROLLBACK TO", "rollback.target_id"}};

CLI::App* release_command(CLI::App* releases, const char* name, const char* help, Args& args) {
  auto* cmd = releases->add_subcommand(name, help);
  cmd->add_option("ID", args.id, "release id (from `releases list`; ids are unique across projects)")->required();
  cmd->add_option("--project", args.only_project, "fail unless the release belongs to this project");
  add_data_option(cmd, args.data);
  return cmd;
}

// Operations shared with the admin API throw ApiError, which main() reports
// like any other failure.
void apply(const Args& args, const service::ReleaseChange& change, std::string_view action) {
  DataFolder data = DataFolder::open_existing(args.data);
  auto admin = administration(data);
  const auto release = find_release_by_id(admin, args.id, args.only_project);
  printer().record(
      service::render(admin.change_release(release.project_id, args.id, change, service::kCliActor, action)));
}

void add_state_command(CLI::App* releases, const std::shared_ptr<Args>& args, const char* name, const char* help,
                       domain::ReleaseState state, const char* action) {
  auto* cmd = release_command(releases, name, help, *args);
  cmd->add_option("--reason", args->reason, "why (kept in the audit log)");
  cmd->callback([args, state, action] {
    service::ReleaseChange change;
    change.state = state;
    change.reason = args->reason;
    apply(*args, change, action);
  });
}

}  // namespace

void add_releases_command(CLI::App& app) {
  auto* releases = app.add_subcommand("releases", "list and manage uploaded firmware");
  releases->require_subcommand(1);
  auto args = std::make_shared<Args>();

  auto* list = releases->add_subcommand("list", "a project's releases, newest first");
  list->add_option("--project", args->project, "project id (default: default)");
  add_data_option(list, args->data);
  list->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    std::vector<boost::json::object> rows;
    for (const auto& r : administration(data).list_releases(args->project)) rows.push_back(service::render(r));
    printer().list(kReleaseColumns, rows);
  });

  add_release_upload_command(*releases);

  auto* show = release_command(releases, "show", "one release", *args);
  show->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    printer().record(service::render(find_release_by_id(admin, args->id, args->only_project)));
  });

  auto* notes = release_command(releases, "notes", "replace a release's notes (markdown)", *args);
  notes->add_option("TEXT", args->notes, "the notes")->required();
  notes->callback([args] {
    service::ReleaseChange change;
    change.notes = args->notes;
    apply(*args, change, "release.edit");
  });

  auto* rollout = release_command(releases, "rollout", "choose which devices are offered a release", *args);
  auto* percent =
      rollout->add_option("--percent", args->percent, "share of eligible devices, 0..100 in steps of 0.01");
  auto* tags = rollout->add_option("--tags", args->tags, "only devices with one of these tags")->delimiter(',');
  auto* devices = rollout->add_option("--devices", args->devices, "these devices always")->delimiter(',');
  rollout->add_flag("--clear-tags", args->clear_tags, "offer it regardless of tags again")->excludes(tags);
  rollout->add_flag("--clear-devices", args->clear_devices, "drop the devices named with --devices")->excludes(devices);
  rollout->callback([args, percent, tags, devices] {
    service::ReleaseChange change;
    if (percent->count() > 0) change.rollout_percent = args->percent;
    if (tags->count() > 0) change.rollout_tags = args->tags;
    if (devices->count() > 0) change.rollout_devices = args->devices;
    if (args->clear_tags) change.rollout_tags.emplace();
    if (args->clear_devices) change.rollout_devices.emplace();
    if (!change.rollout_percent && !change.rollout_tags && !change.rollout_devices) {
      throw UsageError("give --percent, --tags, --devices, --clear-tags or --clear-devices");
    }
    apply(*args, change, "release.edit");
  });

  auto* schedule = release_command(releases, "schedule", "widen a rollout in stages, automatically", *args);
  auto* stages = schedule->add_option("--stages", args->stages,
                                      "PERCENT[:MIN_DURATION_S[:MIN_SUCCESSES]],... e.g. 1:3600:10,10:86400:100,100")
                     ->delimiter(',');
  auto* clear = schedule->add_flag("--clear", args->clear, "end the schedule (the share stays where it is)");
  schedule->callback([args, stages, clear] {
    if ((stages->count() > 0) == (clear->count() > 0)) throw UsageError("give --stages or --clear");
    service::ReleaseChange change;
    change.stages.emplace();
    for (const auto& text : args->stages) change.stages->push_back(parse_stage(text));
    apply(*args, change, "release.edit");
  });

  auto* safety = release_command(releases, "safety", "when a rollout pauses itself", *args);
  auto* rate = safety->add_option("--max-failure-rate", args->max_failure_rate, "pause above this share, 0..1");
  auto* window = safety->add_option("--window", args->window, "judge the last N ended attempts");
  auto* minimum = safety->add_option("--min-attempts", args->min_attempts, "judge only from N attempts on");
  auto* stuck = safety->add_option("--stuck-after", args->stuck_after, "seconds of silence that fail an attempt");
  safety->callback([args, rate, window, minimum, stuck] {
    service::ReleaseChange change;
    if (rate->count() > 0) change.safety.max_failure_rate = args->max_failure_rate;
    if (window->count() > 0) change.safety.window = args->window;
    if (minimum->count() > 0) change.safety.min_attempts = args->min_attempts;
    if (stuck->count() > 0) change.safety.stuck_after_s = args->stuck_after;
    if (rate->count() + window->count() + minimum->count() + stuck->count() == 0) {
      throw UsageError("give --max-failure-rate, --window, --min-attempts or --stuck-after");
    }
    apply(*args, change, "release.edit");
  });

  auto* promote = release_command(releases, "promote", "offer a release on another channel too", *args);
  promote->add_option("CHANNEL", args->channel, "stable, beta or dev")->required();
  promote->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    const auto release = find_release_by_id(admin, args->id, args->only_project);
    printer().record(
        service::render(admin.promote_release(release.project_id, args->id, args->channel, service::kCliActor)));
  });

  auto* remove = release_command(releases, "delete",
                                 "delete a release no device runs (its file goes at the next server start)", *args);
  remove->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto admin = administration(data);
    const auto release = find_release_by_id(admin, args->id, args->only_project);
    admin.delete_release(release.project_id, args->id, service::kCliActor);
    std::cout << "Deleted release " << args->id << std::endl;
  });

  auto* target = release_command(releases, "rollback-target", "the release devices go back to on revoke", *args);
  target->add_option("TARGET_ID", args->target, "release id")->required();
  target->callback([args] {
    service::ReleaseChange change;
    change.rollback_target_id = args->target;
    apply(*args, change, "release.edit");
  });

  add_state_command(releases, args, "pause", "stop offering a release to more devices", domain::ReleaseState::Paused,
                    "release.pause");
  add_state_command(releases, args, "resume", "offer a paused release again", domain::ReleaseState::Active,
                    "release.resume");
  add_state_command(releases, args, "revoke", "stop offering a release and send its devices to the rollback target",
                    domain::ReleaseState::Revoked, "release.revoke");

  auto* changelog = app.add_subcommand("changelog", "every release with its history and rollback command");
  changelog->add_option("--project", args->project, "project id (default: default)");
  changelog->add_flag("--markdown", args->markdown, "a Markdown document instead of records");
  add_data_option(changelog, args->data);
  changelog->callback([args] {
    DataFolder data = DataFolder::open_existing(args->data);
    auto releases = administration(data).changelog(args->project);
    if (args->markdown) {
      std::cout << service::changelog_markdown(releases, args->project);
      return;
    }
    std::vector<boost::json::object> rows;
    for (const auto& release : releases) rows.push_back(release.as_object());
    printer().list(kChangelogColumns, rows);
  });
}

}  // namespace apiota::cli
