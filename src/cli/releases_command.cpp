#include <boost/json.hpp>

#include <iostream>
#include <memory>

#include "api/admin/render.h"
#include "api/key_issuer.h"
#include "cli/commands.h"
#include "cli/data_folder.h"

namespace apiota::cli {

void add_releases_command(CLI::App& app) {
  auto* releases = app.add_subcommand("releases", "list uploaded firmware");
  releases->require_subcommand(1);
  struct Args {
    std::string data, project = std::string(api::kDefaultProjectId);
  };
  auto args = std::make_shared<Args>();
  auto* list = releases->add_subcommand("list", "a project's releases, newest first (JSON lines)");
  list->add_option("--project", args->project, "project id (default: default)");
  add_data_option(list, args->data);
  list->callback([args] {
    DataFolder data = DataFolder::open(args->data);
    for (const auto& r : data.store->list_releases(args->project)) {
      std::cout << boost::json::serialize(api::admin::render(r)) << "\n";
    }
  });
}

}  // namespace apiota::cli
