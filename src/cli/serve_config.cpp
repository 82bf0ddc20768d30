#include "cli/serve_config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace apiota::cli {
namespace {

std::optional<std::string> pick(const std::optional<std::string>& flag, const EnvLookup& env, const char* env_name,
                                const toml::table& file, const char* key) {
  if (flag) return flag;
  if (auto value = env(env_name)) return value;
  if (auto value = file[key].value<std::string>()) return value;
  return std::nullopt;
}

// "a, b,c" as {"a", "b", "c"}; empty items are dropped.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

// trusted_proxies from the flag or environment (a comma-separated list) or
// the file (an array of strings, or one comma-separated string).
std::vector<std::string> pick_trusted_proxies(const ServeFlags& flags, const EnvLookup& env, const toml::table& file) {
  if (flags.trusted_proxies) return split_list(*flags.trusted_proxies);
  if (auto value = env("APIOTA_TRUSTED_PROXIES")) return split_list(*value);
  const auto node = file["trusted_proxies"];
  if (!node) return {};
  if (auto text = node.value<std::string>()) return split_list(*text);
  const toml::array* entries = node.as_array();
  if (entries == nullptr) throw std::invalid_argument("config: trusted_proxies must be an array of addresses");
  std::vector<std::string> out;
  for (const auto& entry : *entries) {
    auto text = entry.value<std::string>();
    if (!text) throw std::invalid_argument("config: trusted_proxies must be an array of strings");
    out.push_back(*text);
  }
  return out;
}

bool parse_switch(const std::string& value, const char* name) {
  if (value == "on" || value == "true" || value == "1") return true;
  if (value == "off" || value == "false" || value == "0") return false;
  throw std::invalid_argument(std::string(name) + " must be on or off, not '" + value + "'");
}

// An on/off setting: the flag (`flag_name` in messages) or the environment
// variable as on/off text, else the file's boolean `key`; nullopt when none
// sets it.
std::optional<bool> pick_switch(const std::optional<std::string>& flag, const char* flag_name, const EnvLookup& env,
                                const char* env_name, const toml::table& file, const char* key) {
  if (flag) return parse_switch(*flag, flag_name);
  if (auto value = env(env_name)) return parse_switch(*value, env_name);
  return file[key].value<bool>();
}

template <class T>
void read_number(const toml::table& file, const char* section, const char* key, T& target, double min, double max) {
  auto node = section ? file[section][key] : file[key];
  if (!node) return;
  auto value = node.value<double>();
  if (!value || *value < min || *value > max) {
    throw std::invalid_argument(std::string("config: ") + (section ? std::string(section) + "." : "") + key +
                                " must be a number between " + std::to_string(min) + " and " + std::to_string(max));
  }
  target = static_cast<T>(*value);
}

void read_seconds(const toml::table& file, const char* key, std::chrono::seconds& target, double max) {
  double seconds = static_cast<double>(target.count());
  read_number(file, "limits", key, seconds, 1, max);
  target = std::chrono::seconds(static_cast<std::int64_t>(seconds));
}

}  // namespace

EnvLookup process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
}

std::string read_config_file(const ServeFlags& flags, const EnvLookup& env) {
  auto path = flags.config_file ? flags.config_file : env("APIOTA_CONFIG");
  if (!path) return {};
  std::ifstream in(*path);
  if (!in) throw std::invalid_argument("cannot read config file " + *path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ServeConfig resolve_serve_config(const ServeFlags& flags, const EnvLookup& env, const std::string& config_text) {
  toml::table file;
  try {
    file = toml::parse(config_text);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(std::string("config file: ") + std::string(e.description()));
  }
  ServeConfig out;
  if (auto v = pick(flags.listen, env, "APIOTA_LISTEN", file, "listen")) out.server.listen = *v;
  if (auto v = pick(flags.data, env, "APIOTA_DATA", file, "data")) out.data.folder = *v;
  if (auto v = pick(flags.store, env, "APIOTA_STORE", file, "store")) {
    if (!is_postgres_uri(*v)) {
      throw std::invalid_argument("store must be a PostgreSQL URI, postgres://USER@HOST/DATABASE (leave it out for "
                                  "SQLite in the data folder)");
    }
    out.data.store = *v;
  }
  double connections = static_cast<double>(out.data.store_connections);
  read_number(file, nullptr, "store_connections", connections, 1, 1000);
  out.data.store_connections = static_cast<std::size_t>(connections);
  if (auto v = pick(flags.tls_cert, env, "APIOTA_TLS_CERT", file, "tls_cert")) out.server.tls_cert_file = *v;
  if (auto v = pick(flags.tls_key, env, "APIOTA_TLS_KEY", file, "tls_key")) out.server.tls_key_file = *v;
  if (out.server.tls_cert_file.empty() != out.server.tls_key_file.empty()) {
    throw std::invalid_argument("TLS needs both a certificate (--tls-cert) and its key (--tls-key)");
  }
  if (auto v = pick(flags.plain_listen, env, "APIOTA_PLAIN_LISTEN", file, "plain_listen")) {
    if (out.server.tls_cert_file.empty()) {
      throw std::invalid_argument("plain_listen (--plain-listen) is a plain HTTP address besides a TLS one: it "
                                  "needs --tls-cert and --tls-key (without TLS, --listen is plain HTTP already)");
    }
    out.server.plain_listen = *v;
  }
  out.server.trusted_proxies = pick_trusted_proxies(flags, env, file);
  if (auto v = pick(flags.proxy_header, env, "APIOTA_PROXY_HEADER", file, "proxy_header")) {
    if (*v != "x-forwarded-for" && *v != "forwarded") {
      throw std::invalid_argument("proxy_header must be \"x-forwarded-for\" or \"forwarded\", not '" + *v + "'");
    }
    out.server.proxy_header = *v;
  }
  if (auto on = pick_switch(flags.proxy_protocol, "--proxy-protocol", env, "APIOTA_PROXY_PROTOCOL", file,
                            "proxy_protocol")) {
    out.server.proxy_protocol = *on;
  }
  if (out.server.proxy_protocol && out.server.trusted_proxies.empty()) {
    throw std::invalid_argument("proxy_protocol needs trusted_proxies: the PROXY header is read only from them");
  }
  if (auto v = pick(flags.public_url, env, "APIOTA_PUBLIC_URL", file, "public_url")) {
    std::string url = *v;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      throw std::invalid_argument("public URL must start with http:// or https://");
    }
    out.settings.public_url = url;
  }
  if (auto on = pick_switch(flags.rate_limit, "--rate-limit", env, "APIOTA_RATE_LIMIT", file, "rate_limit")) {
    out.settings.rate_limit = *on;
  }
  if (auto v = file["download_auth"].value<std::string>()) {
    if (*v == "signed") {
      out.settings.download_auth = service::DownloadAuth::Signed;
    } else if (*v == "public") {
      out.settings.download_auth = service::DownloadAuth::Public;
    } else {
      throw std::invalid_argument("config: download_auth must be \"signed\" or \"public\"");
    }
  }
  if (auto b = file["access_log"].value<bool>()) out.server.access_log = *b;
  double ttl = static_cast<double>(out.settings.download_url_ttl.count());
  read_number(file, nullptr, "download_url_ttl_seconds", ttl, 60, 30 * 24 * 3600);
  out.settings.download_url_ttl = std::chrono::seconds(static_cast<std::int64_t>(ttl));

  double sweep = static_cast<double>(out.settings.rollout_sweep_interval.count());
  read_number(file, nullptr, "rollout_sweep_seconds", sweep, 1, 3600);
  out.settings.rollout_sweep_interval = std::chrono::seconds(static_cast<std::int64_t>(sweep));

  read_number(file, "limits", "address_requests_per_minute", out.settings.address_limit.per_minute, 0, 1e9);
  read_number(file, "limits", "address_burst", out.settings.address_limit.burst, 1, 1e9);
  read_number(file, "limits", "max_header_bytes", out.server.max_header_bytes, 1024, 1 << 20);
  read_number(file, "limits", "max_json_body_bytes", out.server.max_json_body_bytes, 1024, 16 << 20);
  read_number(file, "limits", "max_connections", out.server.max_connections, 1, 1e6);
  read_number(file, "limits", "max_connections_per_address", out.server.max_connections_per_address, 1, 1e6);
  read_seconds(file, "header_timeout_seconds", out.server.header_timeout, 3600);
  read_seconds(file, "idle_timeout_seconds", out.server.idle_timeout, 3600);
  read_seconds(file, "body_read_timeout_seconds", out.server.body_read_timeout, 3600);
  read_seconds(file, "write_timeout_seconds", out.server.write_timeout, 3600);
  read_number(file, "limits", "auth_failure_burst", out.settings.auth_failures.max_failures, 0, 1e6);
  read_seconds(file, "auth_lockout_seconds", out.settings.auth_failures.lockout, 3600);

  auto& plan = out.settings.default_plan;
  read_number(file, "default_plan", "max_devices", plan.max_devices, 1, 1e12);
  read_number(file, "default_plan", "max_firmware_bytes", plan.max_firmware_bytes, 1024,
              static_cast<double>(domain::kMaxFirmwareBytesCeiling));
  read_number(file, "default_plan", "device_requests_per_minute", plan.device_requests_per_minute, 0, 1e9);
  read_number(file, "default_plan", "device_burst", plan.device_burst, 1, 1e9);
  if (auto problem = domain::validate_plan(plan); !problem.empty()) {
    throw std::invalid_argument("config: default_plan: " + problem);
  }
  return out;
}

}  // namespace apiota::cli
