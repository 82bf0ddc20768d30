#include <boost/json.hpp>

#include <iostream>
#include <memory>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/output.h"
#include "service/audit.h"
#include "service/key_issuer.h"
#include "service/render.h"

namespace apiota::cli {
namespace {

const std::vector<Column> kKeyColumns = {{"ID", "id"},     {"PROJECT", "project_id"}, {"ROLE", "role"},
                                         {"LABEL", "label"}, {"HINT", "hint"},          {"CREATED", "created_at"},
                                         {"REVOKED", "revoked_at"}};

}  // namespace

void add_keys_command(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "create, list and revoke API keys");
  keys->require_subcommand(1);

  struct CreateArgs {
    DataLocation data;
    std::string role, label, project = std::string(service::kDefaultProjectId);
  };
  auto create_args = std::make_shared<CreateArgs>();
  auto* create = keys->add_subcommand("create", "create a key; prints it once, alone on the last line");
  create->add_option("--role", create_args->role, "admin or provision")->required();
  create->add_option("--project", create_args->project, "project id (default: default)");
  create->add_option("--label", create_args->label, "what the key is for (shown in key lists and the audit log)");
  add_data_option(create, create_args->data);
  create->callback([create_args] {
    auto role = service::parse_role(create_args->role);
    if (!role) throw UsageError("--role must be admin or provision");
    DataFolder data = DataFolder::open_existing(create_args->data);
    service::IssuedKey issued =
        administration(data).issue_key(create_args->project, *role, create_args->label, service::kCliActor);
    std::cout << "Created " << service::role_name(*role) << " key " << issued.record.id << " for project "
              << issued.record.project_id << ". It is shown only once:\n"
              << issued.plaintext << std::endl;
  });

  struct ListArgs {
    DataLocation data;
    std::string project;
  };
  auto list_args = std::make_shared<ListArgs>();
  auto* list = keys->add_subcommand("list", "list keys (never the keys themselves)");
  list->add_option("--project", list_args->project, "only this project");
  add_data_option(list, list_args->data);
  list->callback([list_args] {
    DataFolder data = DataFolder::open_existing(list_args->data);
    std::optional<std::string_view> project;
    if (!list_args->project.empty()) project = list_args->project;
    std::vector<boost::json::object> rows;
    for (const auto& k : administration(data).list_keys(project)) rows.push_back(service::render(k));
    printer().list(kKeyColumns, rows);
  });

  struct RevokeArgs {
    DataLocation data;
    std::string key_id;
  };
  auto revoke_args = std::make_shared<RevokeArgs>();
  auto* revoke = keys->add_subcommand("revoke", "revoke a key by its id (key_..., any project)");
  revoke->add_option("KEY_ID", revoke_args->key_id, "key id from `keys list`")->required();
  add_data_option(revoke, revoke_args->data);
  revoke->callback([revoke_args] {
    DataFolder data = DataFolder::open_existing(revoke_args->data);
    administration(data).revoke_key(revoke_args->key_id, std::nullopt, service::kCliActor);
    std::cout << "Revoked " << revoke_args->key_id << std::endl;
  });
}

}  // namespace apiota::cli
