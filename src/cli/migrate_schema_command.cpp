// `apiota migrate-schema`: the PostgreSQL store's schema migrations
// (store/postgres/schema.h), shown with --dry-run or applied. A server
// applies them by itself at start; this is for an operator who wants to read
// them first, or to apply them before starting the nodes. The output is a SQL
// script (each migration under a comment naming it) on a terminal and in a
// pipe alike, so it can be read or fed to psql.

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/data_location.h"
#include "store/postgres/connection.h"
#include "store/postgres/schema.h"

namespace apiota::cli {

void add_migrate_schema_command(CLI::App& app) {
  struct Args {
    std::string store;
    bool dry_run = false;
  };
  auto args = std::make_shared<Args>();
  auto* command = app.add_subcommand("migrate-schema", "apply (or, with --dry-run, print) the schema migrations a "
                                                       "PostgreSQL store lacks");
  command->add_option("--store", args->store, "the PostgreSQL store, postgres://USER@HOST/DATABASE")
      ->envname("APIOTA_STORE");
  command->add_flag("--dry-run", args->dry_run, "print the SQL of the missing migrations; change nothing");
  command->callback([args] {
    if (!is_postgres_uri(args->store)) {
      throw UsageError(args->store.empty()
                           ? "migrate-schema needs --store postgres://... (or APIOTA_STORE)"
                           : "migrate-schema works on a PostgreSQL store (--store postgres://...); a SQLite data "
                             "folder is migrated by apiota itself when it opens it");
    }
    store::postgres::Connection conn(args->store);
    const auto pending = store::postgres::pending_migrations(conn);
    if (pending.empty()) {
      std::cout << fmt::format("-- the schema is up to date (version {})\n", store::postgres::latest_schema_version());
      return;
    }
    if (args->dry_run) {
      for (const auto& m : pending) std::cout << fmt::format("-- migration {}: {}\n{}\n", m.version, m.description, m.sql);
      return;
    }
    store::postgres::migrate(conn);
    for (const auto& m : pending) std::cout << fmt::format("-- applied migration {}: {}\n", m.version, m.description);
  });
}

}  // namespace apiota::cli
