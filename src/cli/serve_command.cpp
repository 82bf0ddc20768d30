#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/serve_config.h"
#include "domain/printable.h"
#include "env/env.h"
#include "http/access_log.h"
#include "http/server.h"
#include "service/fleet_administration.h"

namespace apiota::cli {
namespace {

// Where an operator opens the web console: under the public URL when one is
// set, else at `listen` (a HOST:PORT), with a wildcard host ("0.0.0.0", "[::]")
// shown as localhost; https:// when the server speaks TLS.
std::string console_address(const std::string& bound, const std::string& public_url, bool tls) {
  if (!public_url.empty()) return public_url + "/console/";
  std::string address = bound;
  for (std::string_view wildcard : {"0.0.0.0:", "[::]:"}) {
    if (address.starts_with(wildcard)) address = "localhost:" + address.substr(wildcard.size());
  }
  return (tls ? "https://" : "http://") + address + "/console/";
}

void serve(const ServeFlags& flags, bool start_over) {
  EnvLookup env = process_environment();
  ServeConfig config = resolve_serve_config(flags, env, read_config_file(flags, env));
  const bool tls = !config.server.tls_cert_file.empty();
  DataFolder data = DataFolder::open(config.data, start_over ? OnDamage::StartOver : OnDamage::Refuse);
  for (const auto& [from, to] : data.set_aside) {
    spdlog::warn("--init: moved {} aside to {}", domain::printable(from.string()), domain::printable(to.string()));
  }

  service::FleetAdministration administration(*data.store, *data.blobs, *data.hasher, config.settings,
                                             env::system_env(), unobserved_changes());
  // Only a database that was there before and was read proves a firmware
  // file unreferenced; one created by this start references nothing.
  const service::FilesCleanedUp cleaned = administration.clean_up_files(data.database_proven);
  if (cleaned.temp_files + cleaned.unreferenced > 0) {
    spdlog::info("removed {} unfinished uploads and {} unreferenced firmware files", cleaned.temp_files,
                 cleaned.unreferenced);
  }
  // Shown before the port is bound, so a start that then fails does not
  // lose it.
  if (auto key = administration.bootstrap()) {
    std::cout << "First start: an admin key for project 'default' was created. It is shown only this once:\n"
              << "admin key: " << key->plaintext << "\n"
              << "Open the web console at " << console_address(config.server.listen, config.settings.public_url, tls)
              << " and sign in with it." << std::endl;
  }

  http::Server server(*data.store, *data.blobs, *data.hasher, config.settings, env::system_env(), config.server);
  std::string bound = server.bind();
  const std::string download_urls = config.settings.public_url.empty()
                                        ? std::string("from the Host header of each request")
                                        : config.settings.public_url + " (public URL)";
  spdlog::info("apiota {} listening on {}://{} ({} I/O threads, data: {}{}, download URLs: {}, rate limit: {})",
               APIOTA_VERSION, tls ? "https" : "http", bound, server.io_threads(), data.path.string(),
               config.data.shared_store() ? " with a PostgreSQL store" : "", download_urls,
               config.settings.rate_limit ? "on" : "off");
  if (tls) {
    spdlog::info("TLS certificate: {} (read again on SIGHUP and when its files change)", server.tls_certificate());
  }
  if (auto plain = server.plain_address(); !plain.empty()) {
    spdlog::info("also listening on http://{} (plain HTTP)", plain);
  }
  if (!config.server.trusted_proxies.empty()) {
    spdlog::info("trusted proxies: {} (client named by {}{})", fmt::join(config.server.trusted_proxies, ", "),
                 config.server.proxy_header, config.server.proxy_protocol ? " and the PROXY protocol" : "");
  }
  spdlog::info("web console: {} (sign in with an admin key)", console_address(bound, config.settings.public_url, tls));
  std::optional<http::AccessLog> access_log;
  if (config.server.access_log) access_log.emplace();
  server.run();
  if (access_log) access_log->stop();  // every line of every request served is written
  std::size_t flushed = server.flush_device_observations();
  spdlog::info("stopped ({} pending device observations written)", flushed);
}

}  // namespace

void add_data_option(CLI::App* command, DataLocation& target) {
  target = DataLocation{};
  command->add_option("--data", target.folder, "data folder")->envname("APIOTA_DATA");
  command->add_option("--store", target.store, "a PostgreSQL store, postgres://... (default: SQLite in the data folder)")
      ->envname("APIOTA_STORE");
}

void add_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "run the OTA server");
  auto raw = std::make_shared<std::array<std::string, 12>>();
  auto* listen = cmd->add_option("--listen", (*raw)[0], "HOST:PORT to listen on (default 0.0.0.0:8080)");
  auto* data = cmd->add_option("--data", (*raw)[1], "data folder (default ./data)");
  auto* store = cmd->add_option("--store", (*raw)[11],
                                "a PostgreSQL store shared by several nodes, postgres://USER@HOST/DATABASE (default: "
                                "SQLite in the data folder; docs/scale-out.md)");
  auto* url = cmd->add_option("--public-url", (*raw)[2],
                              "base of the download URLs handed to devices (default: none, each request's "
                              "http:// + Host header)");
  auto* config = cmd->add_option("--config", (*raw)[3], "TOML config file");
  auto* rate = cmd->add_option("--rate-limit", (*raw)[4], "on|off (default on)");
  auto* tls_cert = cmd->add_option("--tls-cert", (*raw)[5],
                                   "PEM certificate chain: serve HTTPS only (with --tls-key; docs/tls.md)");
  auto* tls_key = cmd->add_option("--tls-key", (*raw)[6], "PEM private key of --tls-cert");
  auto* plain_listen = cmd->add_option("--plain-listen", (*raw)[7],
                                       "with TLS, also serve plain HTTP on HOST:PORT (default: none)");
  auto* trusted = cmd->add_option("--trusted-proxies", (*raw)[8],
                                  "addresses/CIDRs of proxies whose Forwarded / X-Forwarded-* headers are believed, "
                                  "comma-separated (default: none; docs/tls.md)");
  auto* proxy_header = cmd->add_option("--proxy-header", (*raw)[10],
                                       "x-forwarded-for|forwarded: the header trusted proxies name the client in "
                                       "(default x-forwarded-for)");
  auto* proxy_protocol = cmd->add_option("--proxy-protocol", (*raw)[9],
                                         "on|off: trusted proxies send a PROXY protocol v1/v2 header (default off)");
  auto init = std::make_shared<bool>(false);
  cmd->add_flag("--init", *init,
                "start over on a data folder apiota refuses to open: set its database aside, delete nothing "
                "(docs/operations.md)");
  cmd->callback([=] {
    auto given = [&](CLI::Option* opt, const std::string& value) {
      return opt->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
    };
    ServeFlags flags{given(listen, (*raw)[0]), given(data, (*raw)[1]), given(url, (*raw)[2]), given(config, (*raw)[3]),
                     given(rate, (*raw)[4]), given(tls_cert, (*raw)[5]), given(tls_key, (*raw)[6]),
                     given(plain_listen, (*raw)[7]), given(trusted, (*raw)[8]), given(proxy_header, (*raw)[10]),
                     given(proxy_protocol, (*raw)[9]), given(store, (*raw)[11])};
    serve(flags, *init);
  });
}

}  // namespace apiota::cli
