// `apiota migrate --from DATA_DIR --to postgres://...`: a SQLite installation
// carried into an empty PostgreSQL store (docs/scale-out.md, "Moving from
// SQLite"). The data folder is opened as every command opens it (its key is
// checked against its database, which is brought to the current schema);
// the target gets its schema (store/postgres/schema.h). The SQLite database
// is read in one transaction holding its write lock, so what is copied is one
// moment and a server still running on it cannot have anything acknowledged
// meanwhile. First every release's firmware file goes into the store, each
// hashed before and read back after; then every table, in one PostgreSQL
// transaction checked row by row before its commit
// (store/copy/sqlite_to_postgres.h). What was carried is printed as records:
// each table with its rows and digest, each firmware file with its size.
// The folder keeps everything it had, and is the key and firmware cache a
// node may start with.

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include <iostream>
#include <memory>
#include <set>

#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/output.h"
#include "domain/printable.h"
#include "service/firmware_files.h"
#include "store/copy/sqlite_to_postgres.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/connection.h"

namespace apiota::cli {
namespace {

// The firmware files the snapshot's releases refer to.
std::set<std::string> referenced_firmware(store::sqlite::Connection& snapshot) {
  std::set<std::string> out;
  auto files = snapshot.prepare("SELECT DISTINCT sha256 FROM releases");
  while (files.step()) out.insert(files.text(0));
  return out;
}

}  // namespace

void add_migrate_command(CLI::App& app) {
  struct Args {
    std::string from;
    std::string to;
  };
  auto args = std::make_shared<Args>();
  auto* command = app.add_subcommand("migrate", "copy a SQLite installation (data folder) into an empty PostgreSQL "
                                                "store, and check the copy");
  command->add_option("--from", args->from, "the data folder to copy (its apiota.db, secret.key and firmware)");
  command->add_option("--to", args->to, "the PostgreSQL store, postgres://USER@HOST/DATABASE")->envname("APIOTA_STORE");
  command->callback([args] {
    if (args->from.empty()) throw UsageError("migrate needs --from DATA_DIR, the SQLite installation to copy");
    if (!is_postgres_uri(args->to)) {
      throw UsageError(args->to.empty() ? "migrate needs --to postgres://... (or APIOTA_STORE)"
                                        : "--to must be a PostgreSQL URI, postgres://USER@HOST/DATABASE");
    }
    DataFolder source = DataFolder::open_existing(DataLocation{args->from});
    store::postgres::PostgresStore target(args->to, 2);
    store::postgres::Connection target_conn(args->to);

    store::sqlite::Connection snapshot_conn((source.path / "apiota.db").string());
    store::sqlite::Transaction snapshot(snapshot_conn);
    std::vector<boost::json::object> carried;
    for (const std::string& sha256 : referenced_firmware(snapshot_conn)) {
      std::cerr << fmt::format("copying firmware {}\n", sha256);
      const std::uint64_t size = service::copy_firmware(*source.blobs, *target.firmware_copies(), sha256);
      carried.push_back({{"what", "firmware"}, {"bytes", size}, {"sha256", sha256}});
    }
    std::cerr << "copying the tables\n";
    const auto tables = store::copy::copy_sqlite_to_postgres(snapshot_conn, target_conn);
    snapshot.commit();
    for (const auto& table : tables) {
      carried.push_back({{"what", table.table},
                         {"rows", table.rows},
                         {"sha256", table.sha256},
                         {"carried", table.rebuilt ? "recounted" : "copied"}});
    }
    const Column columns[] = {{"WHAT", "what"}, {"CARRIED", "carried"}, {"ROWS", "rows"},
                              {"BYTES", "bytes"}, {"SHA256", "sha256"}};
    printer().list(columns, carried);
    std::cerr << fmt::format(
        "Copied {} into the PostgreSQL store: every table and firmware file was read back and matched. Start each "
        "node with --store and a data folder holding a copy of {}/secret.key (this folder will do).\n",
        domain::printable(source.path.string()), domain::printable(source.path.string()));
  });
}

}  // namespace apiota::cli
