#pragma once
// Resolving `apiota serve` settings. Each setting comes from, in order of
// precedence: the command-line flag, the environment variable, the TOML
// config file, the built-in default (docs/configuration.md lists them all).
// resolve_serve_config() throws std::invalid_argument naming the bad setting.

#include <functional>
#include <optional>
#include <string>

#include "cli/data_location.h"
#include "service/settings.h"
#include "http/server.h"

namespace apiota::cli {

struct ServeFlags {
  std::optional<std::string> listen, data, public_url, config_file, rate_limit, tls_cert, tls_key, plain_listen,
      trusted_proxies, proxy_header, proxy_protocol, store;
};

struct ServeConfig {
  // The data folder and the store; a shared store's connections default to
  // 8, enough for the worker pool and the write-behind recorder.
  DataLocation data{"./data", "", 8};
  service::Settings settings;
  http::ServerOptions server;
};

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// `config_text` is the content of the config file (empty when none).
ServeConfig resolve_serve_config(const ServeFlags& flags, const EnvLookup& env, const std::string& config_text);

// Reads the file named by --config / APIOTA_CONFIG, or "" if none is named.
std::string read_config_file(const ServeFlags& flags, const EnvLookup& env);

EnvLookup process_environment();

}  // namespace apiota::cli
