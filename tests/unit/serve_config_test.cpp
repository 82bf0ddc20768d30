#include "cli/serve_config.h"

#include <gtest/gtest.h>

#include <map>

namespace apiota::cli {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ServeConfig, DefaultsMatchTheContract) {
  ServeConfig c = resolve_serve_config({}, env_of({}), "");
  EXPECT_EQ(c.server.listen, "0.0.0.0:8080");
  EXPECT_EQ(c.data.folder, "./data");
  // No public URL: download URLs follow each request's Host (api/request_origin.h).
  EXPECT_EQ(c.settings.public_url, "");
  EXPECT_TRUE(c.settings.rate_limit);
  EXPECT_EQ(c.settings.download_auth, service::DownloadAuth::Signed);
}

TEST(ServeConfig, FlagBeatsEnvBeatsFileBeatsDefault) {
  std::string file = "listen = \"1.1.1.1:1\"\ndata = \"/file\"\npublic_url = \"http://file\"\nrate_limit = false\n";
  auto env = env_of({{"APIOTA_LISTEN", "2.2.2.2:2"}, {"APIOTA_DATA", "/env"}});
  ServeFlags flags;
  flags.listen = "3.3.3.3:3";
  ServeConfig c = resolve_serve_config(flags, env, file);
  EXPECT_EQ(c.server.listen, "3.3.3.3:3");
  EXPECT_EQ(c.data.folder, "/env");
  EXPECT_EQ(c.settings.public_url, "http://file");
  EXPECT_FALSE(c.settings.rate_limit);
}

TEST(ServeConfig, TlsFilesFromFlagEnvAndFileComeAsAPair) {
  ServeConfig plain = resolve_serve_config({}, env_of({}), "");
  EXPECT_EQ(plain.server.tls_cert_file, "");
  EXPECT_EQ(plain.server.tls_key_file, "");

  ServeFlags flags;
  flags.tls_cert = "/flag/cert.pem";
  ServeConfig c = resolve_serve_config(flags, env_of({{"APIOTA_TLS_CERT", "/env/cert.pem"}}),
                                       "tls_cert = \"/file/cert.pem\"\ntls_key = \"/file/key.pem\"\n");
  EXPECT_EQ(c.server.tls_cert_file, "/flag/cert.pem");
  EXPECT_EQ(c.server.tls_key_file, "/file/key.pem");

  ServeConfig from_env = resolve_serve_config(
      {}, env_of({{"APIOTA_TLS_CERT", "/env/cert.pem"}, {"APIOTA_TLS_KEY", "/env/key.pem"}}), "");
  EXPECT_EQ(from_env.server.tls_cert_file, "/env/cert.pem");
  EXPECT_EQ(from_env.server.tls_key_file, "/env/key.pem");

  EXPECT_THROW(resolve_serve_config(flags, env_of({}), ""), std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "tls_key = \"/file/key.pem\"\n"), std::invalid_argument);
}

TEST(ServeConfig, PlainListenerBesidesTlsOnly) {
  const std::string tls_files = "tls_cert = \"/c.pem\"\ntls_key = \"/k.pem\"\n";
  ServeFlags flags;
  flags.plain_listen = "127.0.0.1:8080";
  EXPECT_EQ(resolve_serve_config(flags, env_of({}), tls_files).server.plain_listen, "127.0.0.1:8080");
  EXPECT_EQ(resolve_serve_config({}, env_of({{"APIOTA_PLAIN_LISTEN", "[::1]:80"}}), tls_files).server.plain_listen,
            "[::1]:80");
  EXPECT_EQ(resolve_serve_config({}, env_of({}), tls_files).server.plain_listen, "");
  try {
    resolve_serve_config(flags, env_of({}), "");
    FAIL() << "a plain listener without TLS was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("needs --tls-cert"), std::string::npos) << e.what();
  }
}

TEST(ServeConfig, TrustedProxiesFromFlagEnvOrFileArray) {
  EXPECT_TRUE(resolve_serve_config({}, env_of({}), "").server.trusted_proxies.empty());
  ServeFlags flags;
  flags.trusted_proxies = " 10.0.0.0/8, ::1 ,,127.0.0.1";
  EXPECT_EQ(resolve_serve_config(flags, env_of({}), "").server.trusted_proxies,
            (std::vector<std::string>{"10.0.0.0/8", "::1", "127.0.0.1"}));
  EXPECT_EQ(resolve_serve_config({}, env_of({{"APIOTA_TRUSTED_PROXIES", "192.168.1.2"}}), "").server.trusted_proxies,
            (std::vector<std::string>{"192.168.1.2"}));
  EXPECT_EQ(resolve_serve_config({}, env_of({}), "trusted_proxies = [\"fd00::/8\", \"10.1.2.3\"]\n")
                .server.trusted_proxies,
            (std::vector<std::string>{"fd00::/8", "10.1.2.3"}));
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "trusted_proxies = [1, 2]\n"), std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "trusted_proxies = 5\n"), std::invalid_argument);
}

TEST(ServeConfig, ProxyHeaderIsOneOfTwo) {
  EXPECT_EQ(resolve_serve_config({}, env_of({}), "").server.proxy_header, "x-forwarded-for");
  EXPECT_EQ(resolve_serve_config({}, env_of({}), "proxy_header = \"forwarded\"\n").server.proxy_header, "forwarded");
  ServeFlags flags;
  flags.proxy_header = "x-real-ip";
  EXPECT_THROW(resolve_serve_config(flags, env_of({}), ""), std::invalid_argument);
}

TEST(ServeConfig, ProxyProtocolNeedsTrustedProxies) {
  EXPECT_FALSE(resolve_serve_config({}, env_of({}), "").server.proxy_protocol);
  EXPECT_TRUE(resolve_serve_config({}, env_of({{"APIOTA_PROXY_PROTOCOL", "on"}}), "trusted_proxies = [\"10.0.0.1\"]\n")
                  .server.proxy_protocol);
  ServeFlags flags;
  flags.proxy_protocol = "off";
  EXPECT_FALSE(resolve_serve_config(flags, env_of({}), "trusted_proxies = \"10.0.0.1\"\nproxy_protocol = true\n")
                   .server.proxy_protocol);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "proxy_protocol = true\n"), std::invalid_argument);
  flags.proxy_protocol = "maybe";
  EXPECT_THROW(resolve_serve_config(flags, env_of({}), "trusted_proxies = \"10.0.0.1\"\n"), std::invalid_argument);
}

TEST(ServeConfig, RateLimitSwitchFromFlagAndEnv) {
  ServeFlags off;
  off.rate_limit = "off";
  EXPECT_FALSE(resolve_serve_config(off, env_of({}), "").settings.rate_limit);
  EXPECT_FALSE(resolve_serve_config({}, env_of({{"APIOTA_RATE_LIMIT", "off"}}), "").settings.rate_limit);
  ServeFlags bad;
  bad.rate_limit = "maybe";
  EXPECT_THROW(resolve_serve_config(bad, env_of({}), ""), std::invalid_argument);
}

TEST(ServeConfig, PublicUrlIsValidatedAndTrimmed) {
  ServeFlags flags;
  flags.public_url = "https://ota.example.com/";
  EXPECT_EQ(resolve_serve_config(flags, env_of({}), "").settings.public_url, "https://ota.example.com");
  flags.public_url = "ota.example.com";
  EXPECT_THROW(resolve_serve_config(flags, env_of({}), ""), std::invalid_argument);
}

TEST(ServeConfig, FileSectionsSetLimitsAndPlan) {
  std::string file = R"(
download_auth = "public"
download_url_ttl_seconds = 600
[limits]
address_requests_per_minute = 100
address_burst = 10
max_connections = 50
max_connections_per_address = 20
idle_timeout_seconds = 5
write_timeout_seconds = 7
[default_plan]
max_devices = 10
max_firmware_bytes = 33554432
device_requests_per_minute = 2
)";
  ServeConfig c = resolve_serve_config({}, env_of({}), file);
  EXPECT_EQ(c.settings.download_auth, service::DownloadAuth::Public);
  EXPECT_EQ(c.settings.download_url_ttl, std::chrono::seconds(600));
  EXPECT_EQ(c.settings.address_limit.per_minute, 100);
  EXPECT_EQ(c.settings.address_limit.burst, 10);
  EXPECT_EQ(c.server.max_connections, 50u);
  EXPECT_EQ(c.server.max_connections_per_address, 20u);
  EXPECT_EQ(c.server.idle_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.server.write_timeout, std::chrono::seconds(7));
  EXPECT_EQ(c.settings.default_plan.max_devices, 10);
  EXPECT_EQ(c.settings.default_plan.max_firmware_bytes, 32 * 1024 * 1024);
  EXPECT_EQ(c.settings.default_plan.device_requests_per_minute, 2);
}

TEST(ServeConfig, FailedAuthenticationLimits) {
  ServeConfig defaults = resolve_serve_config({}, env_of({}), "");
  EXPECT_EQ(defaults.settings.auth_failures.max_failures, 10u);
  EXPECT_EQ(defaults.settings.auth_failures.lockout, std::chrono::seconds(60));
  // Independent of --rate-limit, and 0 turns them off.
  ServeFlags off;
  off.rate_limit = "off";
  ServeConfig c = resolve_serve_config(off, env_of({}), "[limits]\nauth_failure_burst = 0\nauth_lockout_seconds = 5\n");
  EXPECT_EQ(c.settings.auth_failures.max_failures, 0u);
  EXPECT_EQ(c.settings.auth_failures.lockout, std::chrono::seconds(5));
  EXPECT_EQ(resolve_serve_config(off, env_of({}), "").settings.auth_failures.max_failures, 10u);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "[limits]\nauth_lockout_seconds = 0\n"), std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "[limits]\nauth_failure_burst = -1\n"), std::invalid_argument);
}

TEST(ServeConfig, RejectsBadFileValues) {
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "[default_plan]\nmax_firmware_bytes = 40000000\n"),
               std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "download_auth = \"none\"\n"), std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "this is not toml"), std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "[limits]\nidle_timeout_seconds = 0\n"), std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "[limits]\nwrite_timeout_seconds = 0\n"), std::invalid_argument);
  EXPECT_THROW(resolve_serve_config({}, env_of({}), "[limits]\nmax_connections_per_address = 0\n"),
               std::invalid_argument);
}

}  // namespace
}  // namespace apiota::cli
