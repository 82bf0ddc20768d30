// The sample proxy configurations of docs/tls.md, "Behind a proxy or load
// balancer", run as written against the real binary: nginx terminating TLS,
// HAProxy terminating TLS, and HAProxy (PROXY protocol v2) and nginx's
// stream module (v1) passing TLS through to apiota's own. Each sample and
// its apiota side are taken out of the doc, their placeholders filled with
// loopback addresses, free ports and a test certificate, and the proxy is
// started in the foreground.
//
// On loopback every address of 127.0.0.0/8 is local, so the test can play
// several hosts. nginx terminating TLS sits on apiota's host and reaches it
// from 127.0.0.1, the one address its apiota side trusts; the other samples
// sit on a load balancer, played by binding the proxy's outgoing
// connections to 127.0.0.5 (PROXY_ADDRESS). The devices reach the proxy
// over TLS from 127.0.0.2 and 127.0.0.3. Were the client the proxy, they
// would all be one address; were a device's forwarding headers believed, it
// would be a forged one: every device request carries X-Forwarded-For and
// Forwarded naming 198.51.100.x, which the proxies pass on (nginx and
// HAProxy append to X-Forwarded-For), and, where the proxy sets the scheme
// itself, X-Forwarded-Proto: http.
//
// Through each proxy it proves: a firmware upload larger than nginx's
// default body limit goes through and the console signs in with a Secure
// cookie; a device registers and its last_address is the address it
// connected from; check-update's download URL is https and names the
// proxy's port; the firmware downloads byte-identical, whole and by Range;
// the per-address limit counts each device, not the proxy (one device over
// its burst is refused while the other still registers); the access log
// names the devices and no forged address; behind the PROXY protocol, no
// connection (the proxies' health checks included) came without a header.
// A sample is skipped only when its proxy is not installed.
//
// The load balancer of docs/scale-out.md, "A load balancer in front", runs
// the same way in front of two nodes on one PostgreSQL store (the test
// starts its own, support/postgres_cluster.h): devices at twelve addresses
// register, poll and download through it; both nodes serve some of them,
// each device always the same node, with its own address; then one node is
// killed, and every device call after that is still answered, by the other
// node, until the first is back and serves its devices again.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/firmware_images.h"
#include "support/fleet_records.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/postgres_cluster.h"
#include "support/raw_connection.h"
#include "support/server_process.h"
#include "support/tls_files.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "proxy-sample-secret-0123";
constexpr const char* kDeviceA = "127.0.0.2";
constexpr const char* kDeviceB = "127.0.0.3";
constexpr const char* kProxyAddress = "127.0.0.5";
constexpr const char* kForgedFor = "X-Forwarded-For: 198.51.100.7\r\nForwarded: for=198.51.100.8\r\n";
constexpr const char* kForgedProto = "X-Forwarded-Proto: http\r\n";
constexpr const char* kForgedPrefix = "198.51.100.";
constexpr const char* kStreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so";

enum class Proxy { Nginx, NginxStream, Haproxy };

struct Deployment {
  const char* proxy_sample;
  const char* apiota_sample;
  Proxy proxy;
  // The proxy passes TLS through to apiota's own, with the PROXY protocol.
  // A device's own X-Forwarded-Proto then reaches apiota untouched and sets
  // the scheme of its own download URLs (docs/tls.md, "How apiota finds the
  // client"), so the devices forge none there.
  bool passthrough;
};

using Placeholders = std::map<std::string, std::string>;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fenced block right after "<!-- sample: NAME -->" in `doc`, "" when
// there is none.
std::string doc_sample(const std::string& doc, const std::string& name) {
  const std::string marker = "<!-- sample: " + name + " -->";
  const auto at = doc.find(marker);
  if (at == std::string::npos) return "";
  const auto fence = doc.find_first_not_of(" \n", at + marker.size());
  if (fence == std::string::npos || doc.compare(fence, 3, "```") != 0) return "";
  const auto start = doc.find('\n', fence) + 1;
  const auto end = doc.find("\n```", start);
  return end == std::string::npos ? "" : doc.substr(start, end + 1 - start);
}

// `text` with every placeholder replaced; FAILs the test when a word that
// looks like one (CAPITALS_WITH_UNDERSCORES) is left.
std::string filled(std::string text, const Placeholders& values) {
  for (const auto& [name, value] : values) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  }
  static const std::regex kPlaceholder("\\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\\b");
  std::smatch left;
  if (std::regex_search(text, left, kPlaceholder)) {
    ADD_FAILURE() << "unknown placeholder " << left[0] << " in:\n" << text;
  }
  return text;
}

// The executable `name` on PATH or in the sbin folders, "" when there is none.
std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream folders(std::string(path ? path : "") + ":/usr/sbin:/usr/local/sbin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const std::string candidate = folder + "/" + name;
    if (!folder.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// A port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  return bound ? ntohs(address.sin_port) : 0;
}

// A proxy run in the foreground from `args`, its stdout and stderr in
// `log`. The destructor stops it (SIGTERM, SIGKILL after 10 s); only this
// process is signalled, by its PID (nginx runs with master_process off,
// HAProxy with -db: neither starts other processes).
class ProxyProcess {
 public:
  ProxyProcess(std::vector<std::string> args, std::filesystem::path log) : log_(std::move(log)) {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ != 0) return;
    const int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::close(out);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ~ProxyProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!exited_within(std::chrono::seconds(10))) {
      ::kill(pid_, SIGKILL);
      exited_within(std::chrono::seconds(5));
    }
  }
  ProxyProcess(const ProxyProcess&) = delete;
  ProxyProcess& operator=(const ProxyProcess&) = delete;

  // True once 127.0.0.1:`port` takes connections while the proxy runs;
  // false when it exited first or 20 s passed.
  bool wait_until_listening(std::uint16_t port) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (exited_within(std::chrono::milliseconds(0))) return false;
      if (RawConnection(port).ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string log() const { return read_text(log_); }

 private:
  // Reaps the proxy if it exits within `limit`.
  bool exited_within(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return true;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::filesystem::path log_;
  pid_t pid_ = -1;
};

// The whole configuration of the proxy around `sample`: its files in
// `folder`, and for the proxies the samples put on a load balancer, their
// connections to apiota bound to PROXY_ADDRESS as if from another host.
std::string proxy_config(Proxy proxy, const std::string& sample, const std::filesystem::path& folder) {
  const std::string nginx_main =
      "master_process off;\npid " + (folder / "nginx.pid").string() + ";\nerror_log stderr notice;\nevents {}\n";
  switch (proxy) {
    case Proxy::Nginx:
      return nginx_main + "http {\naccess_log off;\n" + sample + "}\n";
    case Proxy::NginxStream:
      return std::string("load_module ") + kStreamModule + ";\n" + nginx_main + "stream {\nproxy_bind " +
             kProxyAddress + ";\n" + sample + "}\n";
    case Proxy::Haproxy:
      return std::string("global\ndefaults\n    source ") + kProxyAddress + "\n" + sample;
  }
  return "";
}

// Starts `binary` with `sample` on a free port (another one if it was taken
// meanwhile) and waits until it listens; sets `port`. Null, after a test
// failure with the proxy's log, when it does not come up.
std::unique_ptr<ProxyProcess> start_proxy(Proxy proxy, const std::string& binary, const std::string& sample,
                                          const std::filesystem::path& folder, Placeholders values,
                                          std::uint16_t& port) {
  const auto config = folder / "proxy.conf";
  const auto log = folder / "proxy.log";
  for (int attempt = 1; attempt <= 5; ++attempt) {
    port = free_port();
    values["PROXY_PORT"] = std::to_string(port);
    std::ofstream(config) << proxy_config(proxy, filled(sample, values), folder);
    std::filesystem::remove(log);
    const std::vector<std::string> args =
        proxy == Proxy::Haproxy
            ? std::vector<std::string>{binary, "-f", config.string(), "-db"}
            : std::vector<std::string>{binary, "-e", "stderr", "-p", folder.string() + "/", "-c", config.string(),
                                       "-g", "daemon off;"};
    auto process = std::make_unique<ProxyProcess>(args, log);
    if (process->wait_until_listening(port)) return process;
    if (process->log().find("in use") == std::string::npos) break;
  }
  ADD_FAILURE() << binary << " did not come up with\n" << read_text(config) << "\nits output:\n" << read_text(log);
  return nullptr;
}

// A device at the loopback address `source`: each request goes on a fresh
// TLS connection to the proxy on 127.0.0.1:`port`, verified against
// `ca_file` for 127.0.0.1, with Host 127.0.0.1:PORT, Connection: close and
// `forged` headers; the answer is read until the proxy closes (each read
// given 10 s). complete is false when a step failed.
class Device {
 public:
  Device(std::string source, std::uint16_t port, const std::string& ca_file, std::string forged)
      : source_(std::move(source)),
        port_(port),
        forged_(std::move(forged)),
        ctx_(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free) {
    SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER, nullptr);
    SSL_CTX_load_verify_locations(ctx_.get(), ca_file.c_str(), nullptr);
  }

  RawResponse get(const std::string& target, const std::string& headers = "") const {
    return exchange("GET " + target + " HTTP/1.1\r\n" + head() + headers + "\r\n");
  }

  RawResponse post_json(const std::string& target, const std::string& body) const {
    return exchange("POST " + target + " HTTP/1.1\r\n" + head() + "Content-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
  }

 private:
  std::string head() const {
    return "Host: 127.0.0.1:" + std::to_string(port_) + "\r\nConnection: close\r\n" + forged_;
  }

  RawResponse exchange(const std::string& request) const {
    RawConnection tcp(port_, 0, source_);
    if (!tcp.ok()) return {};
    const timeval limit{10, 0};
    ::setsockopt(tcp.fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(tcp.fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx_.get()), &SSL_free);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), "127.0.0.1");
    SSL_set_fd(ssl.get(), tcp.fd());
    if (SSL_connect(ssl.get()) != 1) return {};
    if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) != static_cast<int>(request.size())) {
      return {};
    }
    std::string received;
    char chunk[16384];
    for (int n; (n = SSL_read(ssl.get(), chunk, sizeof chunk)) > 0;) {
      received.append(chunk, static_cast<std::size_t>(n));
    }
    return parse_raw_response(received);
  }

  std::string source_;
  std::uint16_t port_;
  std::string forged_;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_;
};

std::string register_body(const std::string& device_id, const std::string& key) {
  return boost::json::serialize(boost::json::object{
      {"device_id", device_id}, {"device_secret", kSecret}, {"pk_key", key}, {"firmware_ver", "1.0.0"}});
}

// A string field of a JSON object, "" when absent.
std::string field(const boost::json::value& value, const char* name) {
  const auto* found = value.is_object() ? value.as_object().if_contains(name) : nullptr;
  return found && found->is_string() ? std::string(found->as_string()) : "";
}

std::string last_address(const ServerProcess& server, const std::string& device_id) {
  return field(admin_get(server, "/api/admin/devices/" + device_id), "last_address");
}

bool access_logged(const ServerProcess& server, const std::string& address, const std::string& request_start) {
  const std::string line = "info " + address + " \"" + request_start;
  return eventually([&] { return server.log().find(line) != std::string::npos; }, std::chrono::seconds(10));
}

// An operator's client of the proxy at `origin`, trusting `ca_file`.
httplib::Client operator_client(const std::string& origin, const std::string& ca_file) {
  httplib::Client op(origin);
  op.set_ca_cert_path(ca_file);
  op.set_connection_timeout(5);
  op.set_read_timeout(30);
  op.set_write_timeout(30);
  return op;
}

void prove_sample(const Deployment& d) {
  const std::string binary = find_program(d.proxy == Proxy::Haproxy ? "haproxy" : "nginx");
  if (binary.empty()) GTEST_SKIP() << "the proxy is not installed (scripts/install-deps.sh installs it)";
  if (d.proxy == Proxy::NginxStream && !std::filesystem::exists(kStreamModule)) {
    GTEST_SKIP() << "nginx's stream module is not installed (Debian: libnginx-mod-stream)";
  }
  const std::string doc = read_text(APIOTA_TLS_DOC);
  const std::string proxy_sample = doc_sample(doc, d.proxy_sample);
  const std::string apiota_sample = doc_sample(doc, d.apiota_sample);
  ASSERT_NE(proxy_sample, "") << "no sample " << d.proxy_sample << " in " << APIOTA_TLS_DOC;
  ASSERT_NE(apiota_sample, "") << "no sample " << d.apiota_sample << " in " << APIOTA_TLS_DOC;

  TempFolder folder("apiota-proxy-configs");
  const TlsFiles tls = make_tls_files(folder.path(), "ota");
  const auto bundle = folder / "ota-bundle.pem";
  std::ofstream(bundle) << read_text(tls.cert_file) << read_text(tls.key_file);
  Placeholders values = {{"LISTEN_ADDRESS", "127.0.0.1"}, {"APIOTA_ADDRESS", "127.0.0.1"},
                         {"PROXY_ADDRESS", kProxyAddress}, {"CERT_FILE", tls.cert_file},
                         {"KEY_FILE", tls.key_file},       {"CERT_AND_KEY_PEM", bundle.string()}};

  ServerSetup setup;
  setup.extra_args = {};     // the rate limit on
  setup.public_url = false;  // download URLs from the scheme and Host the proxy passes on
  // Six device calls per address, and no refill worth counting during the test.
  setup.config_toml = filled(apiota_sample, values) + "[limits]\naddress_requests_per_minute = 1\naddress_burst = 6\n";
  if (d.passthrough) setup.tls = tls;
  ServerProcess server(setup);
  values["APIOTA_PORT"] = std::to_string(server.port());
  std::uint16_t port = 0;
  const auto proxy = start_proxy(d.proxy, binary, proxy_sample, folder.path(), values, port);
  ASSERT_TRUE(proxy);
  const std::string origin = "https://127.0.0.1:" + std::to_string(port);

  // An operator through the proxy.
  httplib::Client op = operator_client(origin, tls.ca_file);
  const std::vector<std::uint8_t> image = firmware_image("1.1.0", 1500000);
  const std::string image_bytes = as_string(image);
  ASSERT_EQ(status_of(upload_firmware(op, server.admin_key(), image, "1.1.0")), 200) << proxy->log();
  const auto session = op.Post("/api/console/session", {{"Origin", origin}, {"X-Apiota-Console", "1"}},
                               R"({"key":")" + server.admin_key() + R"("})", "application/json");
  ASSERT_TRUE(session) << httplib::to_string(session.error());
  EXPECT_EQ(session->status, 201) << session->body;
  EXPECT_NE(session->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);

  const std::string forged = std::string(kForgedFor) + (d.passthrough ? "" : kForgedProto);
  const Device a(kDeviceA, port, tls.ca_file, forged);
  const Device b(kDeviceB, port, tls.ca_file, forged);

  // Device A: register, poll, download whole and by Range (four device calls).
  const RawResponse registered = a.post_json("/api/register", register_body("dev-a", server.admin_key()));
  ASSERT_EQ(registered.status, 200) << registered.status_line << registered.body << proxy->log();
  EXPECT_EQ(last_address(server, "dev-a"), kDeviceA);
  const std::string poll = check_update_path("dev-a", "1.0.0", kSecret);
  const RawResponse answer = a.get(poll);
  ASSERT_EQ(answer.status, 200) << answer.status_line << answer.body;
  const std::string url = field(json_of(answer.body), "url");
  ASSERT_TRUE(url.starts_with(origin + "/")) << url;
  const RawResponse whole = a.get(url.substr(origin.size()));
  EXPECT_EQ(whole.status, 200) << whole.status_line;
  EXPECT_TRUE(whole.body == image_bytes) << "the download has " << whole.body.size() << " bytes, not the image's "
                                         << image_bytes.size();
  const RawResponse part = a.get(url.substr(origin.size()), "Range: bytes=70000-200000\r\n");
  EXPECT_EQ(part.status, 206) << part.status_line;
  EXPECT_TRUE(part.body == image_bytes.substr(70000, 130001)) << "the range has " << part.body.size() << " bytes";

  // A spends the rest of its burst; B, behind the same proxy, has its own.
  bool limited = false;
  for (int i = 0; i < 10 && !limited; ++i) limited = a.get(poll).status == 429;
  EXPECT_TRUE(limited) << "device A was never limited";
  const RawResponse other = b.post_json("/api/register", register_body("dev-b", server.admin_key()));
  EXPECT_EQ(other.status, 200) << other.status_line << other.body;
  EXPECT_EQ(last_address(server, "dev-b"), kDeviceB);

  EXPECT_TRUE(access_logged(server, kDeviceA, "POST /api/register")) << server.log();
  EXPECT_TRUE(access_logged(server, kDeviceA, "GET /api/firmware/")) << server.log();
  EXPECT_TRUE(access_logged(server, kDeviceB, "POST /api/register")) << server.log();
  EXPECT_EQ(server.log().find(kForgedPrefix), std::string::npos) << server.log();
  EXPECT_EQ(server.log().find("valid PROXY protocol header"), std::string::npos) << server.log();
}

TEST(ProxyConfig, NginxTerminatingTls) {
  prove_sample({"nginx-tls-terminating", "nginx-tls-terminating-apiota", Proxy::Nginx, false});
}

TEST(ProxyConfig, HaproxyTerminatingTls) {
  prove_sample({"haproxy-tls-terminating", "haproxy-tls-terminating-apiota", Proxy::Haproxy, false});
}

TEST(ProxyConfig, HaproxyPassingTlsThroughWithProxyProtocolV2) {
  prove_sample({"haproxy-tls-passthrough", "tcp-passthrough-apiota", Proxy::Haproxy, true});
}

TEST(ProxyConfig, NginxStreamPassingTlsThroughWithProxyProtocolV1) {
  prove_sample({"nginx-stream-tls-passthrough", "tcp-passthrough-apiota", Proxy::NginxStream, true});
}

// How many of `device`'s requests starting `request_start` `server` logged.
std::size_t logged_count(const ServerProcess& server, const std::string& device, const std::string& request_start) {
  const std::string line = "info " + device + " \"" + request_start;
  const std::string log = server.log();
  std::size_t n = 0;
  for (auto at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++n;
  return n;
}

TEST(ProxyConfig, HaproxyBalancingTwoNodesOfOneStore) {
  const std::string binary = find_program("haproxy");
  if (binary.empty()) GTEST_SKIP() << "HAProxy is not installed (scripts/install-deps.sh installs it)";
  const std::string doc = read_text(APIOTA_SCALE_OUT_DOC);
  const std::string proxy_sample = doc_sample(doc, "haproxy-load-balancer");
  const std::string apiota_sample = doc_sample(doc, "load-balancer-apiota");
  ASSERT_NE(proxy_sample, "") << "no sample haproxy-load-balancer in " << APIOTA_SCALE_OUT_DOC;
  ASSERT_NE(apiota_sample, "") << "no sample load-balancer-apiota in " << APIOTA_SCALE_OUT_DOC;

  TempFolder folder("apiota-load-balancer");
  const TlsFiles tls = make_tls_files(folder.path(), "ota");
  const auto bundle = folder / "ota-bundle.pem";
  std::ofstream(bundle) << read_text(tls.cert_file) << read_text(tls.key_file);
  Placeholders values = {{"LISTEN_ADDRESS", "127.0.0.1"}, {"PROXY_ADDRESS", kProxyAddress},
                         {"CERT_AND_KEY_PEM", bundle.string()}};

  const std::string store = shared_postgres().create_database();
  ServerSetup setup_a;
  setup_a.store = store;
  setup_a.public_url = false;
  setup_a.config_toml = filled(apiota_sample, values);
  ServerProcess a(setup_a);
  ServerSetup setup_b = setup_a;
  setup_b.server_key = a.data_dir() / "secret.key";
  setup_b.expect_admin_key = false;
  ServerProcess b(setup_b);
  values["NODE_A_ADDRESS"] = "127.0.0.1";
  values["NODE_A_PORT"] = std::to_string(a.port());
  values["NODE_B_ADDRESS"] = "127.0.0.1";
  values["NODE_B_PORT"] = std::to_string(b.port());
  std::uint16_t port = 0;
  const auto proxy = start_proxy(Proxy::Haproxy, binary, proxy_sample, folder.path(), values, port);
  ASSERT_TRUE(proxy);
  const std::string origin = "https://127.0.0.1:" + std::to_string(port);

  httplib::Client op = operator_client(origin, tls.ca_file);
  const std::vector<std::uint8_t> image = firmware_image("1.1.0", 1500000);
  ASSERT_EQ(status_of(upload_firmware(op, a.admin_key(), image, "1.1.0")), 200) << proxy->log();

  // Twelve devices, each at an address of its own (not the load balancer's).
  std::vector<std::string> addresses;
  std::vector<Device> devices;
  for (int i = 2; addresses.size() < 12; ++i) {
    if ("127.0.0." + std::to_string(i) == kProxyAddress) continue;
    addresses.push_back("127.0.0." + std::to_string(i));
    devices.emplace_back(addresses.back(), port, tls.ca_file, kForgedFor);
  }
  const auto id = [](std::size_t i) { return "lb-" + std::to_string(i); };
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const RawResponse registered = devices[i].post_json("/api/register", register_body(id(i), a.admin_key()));
    ASSERT_EQ(registered.status, 200) << registered.status_line << registered.body << proxy->log();
    EXPECT_EQ(last_address(a, id(i)), addresses[i]);
    for (int poll = 0; poll < 3; ++poll) {
      const RawResponse answer = devices[i].get(check_update_path(id(i), "1.0.0", kSecret));
      ASSERT_EQ(answer.status, 200) << answer.status_line << answer.body;
    }
  }
  const RawResponse offer = devices[0].get(check_update_path(id(0), "1.0.0", kSecret));
  const std::string url = field(json_of(offer.body), "url");
  ASSERT_TRUE(url.starts_with(origin + "/")) << offer.body;
  const RawResponse whole = devices[0].get(url.substr(origin.size()));
  EXPECT_TRUE(whole.status == 200 && whole.body == as_string(image)) << whole.status_line << whole.body.size();

  // Each device's calls all went to one node, and each node had some.
  std::size_t on_a = 0;
  std::size_t on_b = 0;
  ASSERT_TRUE(eventually(
      [&] {
        std::size_t logged = 0;
        for (const std::string& address : addresses) {
          logged += logged_count(a, address, "GET /api/check-update") + logged_count(b, address, "GET /api/check-update");
        }
        return logged >= 3 * addresses.size();
      },
      std::chrono::seconds(10)));
  for (const std::string& address : addresses) {
    const std::size_t at_a = logged_count(a, address, "GET /api/check-update");
    const std::size_t at_b = logged_count(b, address, "GET /api/check-update");
    EXPECT_TRUE(at_a == 0 || at_b == 0) << address << " reached both nodes: " << at_a << " and " << at_b;
    on_a += at_a > 0;
    on_b += at_b > 0;
  }
  EXPECT_GT(on_a, 0u);
  EXPECT_GT(on_b, 0u);
  EXPECT_EQ(a.log().find(kForgedPrefix), std::string::npos);
  EXPECT_EQ(b.log().find(kForgedPrefix), std::string::npos);

  const auto served_by_a = [&] {
    std::size_t n = 0;
    for (const std::string& address : addresses) n += logged_count(a, address, "GET /api/");
    return n;
  };
  const std::size_t before_death = served_by_a();

  // Node A dies: for the next five seconds every device call is answered.
  a.kill_hard();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int calls = 0;
  while (std::chrono::steady_clock::now() < until) {
    for (std::size_t i = 0; i < devices.size(); ++i) {
      const RawResponse answer = devices[i].get(check_update_path(id(i), "1.0.0", kSecret));
      ++calls;
      EXPECT_EQ(answer.status, 200) << "call " << calls << " from " << addresses[i] << ": " << answer.status_line
                                    << answer.body;
    }
  }
  const RawResponse reported = devices[1].post_json(
      "/api/ota-log", R"({"device_id":")" + id(1) + R"(","device_secret":")" + kSecret + R"(","status":"downloading"})");
  EXPECT_EQ(reported.status, 200) << reported.status_line << reported.body;

  // Back: A serves its devices again once its health checks pass.
  a.start();
  EXPECT_TRUE(eventually(
      [&] {
        for (std::size_t i = 0; i < devices.size(); ++i) devices[i].get(check_update_path(id(i), "1.0.0", kSecret));
        return served_by_a() > before_death;
      },
      std::chrono::seconds(10)))
      << proxy->log();
}

}  // namespace
}  // namespace apiota::testing
