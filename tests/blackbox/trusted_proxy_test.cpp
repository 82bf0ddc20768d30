// apiota behind a proxy (trusted_proxies, proxy_header, proxy_protocol;
// docs/tls.md), against the real binary. On loopback every address of
// 127.0.0.0/8 is local: the test's "proxy" connects from the one trusted
// address (127.0.0.1; 127.0.0.4 with the PROXY protocol, so that the test
// harness's own requests stay direct) and a direct client from 127.0.0.2. From the trusted
// peer, X-Forwarded-For (or Forwarded, when chosen) names the client that
// the device record, the access log and the per-address rate limit use,
// and X-Forwarded-Proto the scheme of download URLs; from the untrusted
// peer the same headers change nothing. With the PROXY protocol, v1 and v2
// headers name the client, before plain HTTP and before a TLS handshake,
// and the forwarding headers after them count for nothing (a TCP-mode
// proxy passes the client's own bytes); a trusted peer that sends none is
// closed, an untrusted one is served as itself and its PROXY line is not
// believed.

#include <gtest/gtest.h>

#include <string>

#include "support/firmware_images.h"
#include "support/fleet_records.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/raw_connection.h"
#include "support/server_process.h"
#include "support/tls_files.h"
#include "support/tls_probe.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "proxy-secret-0123456789";
constexpr const char* kDirectClient = "127.0.0.2";

constexpr const char* kProxyProtocolPeer = "127.0.0.4";

ServerSetup behind_proxy(const std::string& extra_toml = "", const std::string& proxy = "127.0.0.1") {
  ServerSetup setup;
  setup.extra_args = {};
  setup.public_url = false;
  setup.config_toml = "trusted_proxies = [\"" + proxy + "\"]\n" + extra_toml +
                      "[limits]\naddress_requests_per_minute = 60\naddress_burst = 5\n";
  return setup;
}

// One request on a fresh connection from `source` (127.0.0.x), the raw
// answer parsed.
RawResponse request_from(const ServerProcess& server, const std::string& source, const std::string& request) {
  RawConnection connection(server.port(), 0, source);
  RawResponse response;
  if (connection.send_all(request)) connection.read_response(response);
  return response;
}

std::string health_request(const std::string& extra_headers) {
  return "GET /api/health HTTP/1.1\r\nHost: ota.test\r\n" + extra_headers + "Connection: close\r\n\r\n";
}

// A poll by a device that does not exist: a device call, so the per-address
// limit applies (answered 404 until the address is limited, then 429).
std::string unknown_device_poll(const std::string& extra_headers) {
  return "GET " + check_update_path("nobody", "1.0.0", kSecret) + " HTTP/1.1\r\nHost: ota.test\r\n" +
         extra_headers + "Connection: close\r\n\r\n";
}

std::string last_address(const ServerProcess& server, const std::string& device_id) {
  const auto device = admin_get(server, "/api/admin/devices/" + device_id);
  if (!device.is_object() || !device.as_object().at("last_address").is_string()) return "";
  return std::string(device.as_object().at("last_address").as_string());
}

bool access_logged(const ServerProcess& server, const std::string& line_start) {
  return eventually([&] { return server.log().find("info " + line_start) != std::string::npos; });
}

TEST(TrustedProxy, XForwardedForFromTheProxyNamesTheDeviceAndTheLogLine) {
  ServerProcess server(behind_proxy());
  httplib::Client proxy = server.client();
  proxy.set_default_headers({{"X-Forwarded-For", "203.0.113.7"}});
  ASSERT_EQ(register_device(proxy, "behind-1", kSecret, server.admin_key()), 200);
  EXPECT_EQ(last_address(server, "behind-1"), "203.0.113.7");
  EXPECT_TRUE(access_logged(server, "203.0.113.7 \"POST /api/register\"")) << server.log();
}

TEST(TrustedProxy, EachForwardedClientHasItsOwnAddressBudget) {
  ServerProcess server(behind_proxy());
  // Twenty clients, one request each, all through the proxy's address: none
  // is limited, though the proxy made four times the burst.
  for (int i = 1; i <= 20; ++i) {
    const RawResponse r = request_from(
        server, "127.0.0.1", unknown_device_poll("X-Forwarded-For: 198.51.100." + std::to_string(i) + "\r\n"));
    EXPECT_NE(r.status, 429) << i;
    EXPECT_NE(r.status, 0) << i;
  }
  // One client over its burst is limited, however it reaches the proxy.
  int limited = 0;
  for (int i = 0; i < 10; ++i) {
    const auto r = request_from(server, "127.0.0.1", unknown_device_poll("X-Forwarded-For: 198.51.100.99\r\n"));
    if (r.status == 429) ++limited;
  }
  EXPECT_GT(limited, 0);
}

TEST(TrustedProxy, AnUntrustedPeerCannotNameAnotherAddress) {
  ServerProcess server(behind_proxy());
  // Every request claims another client; the limit still counts 127.0.0.2.
  int limited = 0;
  for (int i = 1; i <= 12; ++i) {
    const std::string spoof = "X-Forwarded-For: 198.51.100." + std::to_string(i) + "\r\n" +
                              "Forwarded: for=192.0.2." + std::to_string(i) + "\r\n";
    if (request_from(server, kDirectClient, unknown_device_poll(spoof)).status == 429) ++limited;
  }
  EXPECT_GT(limited, 0) << "spoofed forwarding headers escaped the per-address limit";

  const std::string body = std::string(R"({"device_id":"direct-1","device_secret":")") + kSecret +
                           R"(","pk_key":")" + server.admin_key() + R"(","firmware_ver":"1.0.0"})";
  const RawResponse registered = request_from(
      server, "127.0.0.3",
      "POST /api/register HTTP/1.1\r\nHost: ota.test\r\nX-Forwarded-For: 203.0.113.9\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  ASSERT_EQ(registered.status, 200) << registered.body;
  EXPECT_EQ(last_address(server, "direct-1"), "127.0.0.3");
  EXPECT_TRUE(access_logged(server, "127.0.0.3 \"POST /api/register\"")) << server.log();
  EXPECT_EQ(server.log().find("203.0.113.9"), std::string::npos);
}

TEST(TrustedProxy, XForwardedProtoFromTheProxyOnlySetsTheDownloadScheme) {
  ServerProcess server(behind_proxy());
  httplib::Client admin = server.client();
  ASSERT_EQ(register_device(admin, "scheme-1", kSecret, server.admin_key()), 200);
  ASSERT_EQ(status_of(upload_firmware(admin, server.admin_key(), firmware_image("1.1.0", 20000), "1.1.0")), 200);
  const std::string poll = "GET " + check_update_path("scheme-1", "1.0.0", kSecret) +
                           " HTTP/1.1\r\nHost: ota.example.com\r\nX-Forwarded-Proto: https\r\n"
                           "Connection: close\r\n\r\n";
  const RawResponse proxied = request_from(server, "127.0.0.1", poll);
  ASSERT_EQ(proxied.status, 200) << proxied.body;
  EXPECT_TRUE(std::string(json_of(proxied.body).at("url").as_string()).starts_with("https://ota.example.com/"))
      << proxied.body;
  const RawResponse direct = request_from(server, kDirectClient, poll);
  ASSERT_EQ(direct.status, 200) << direct.body;
  EXPECT_TRUE(std::string(json_of(direct.body).at("url").as_string()).starts_with("http://ota.example.com/"))
      << direct.body;
}

TEST(TrustedProxy, WithProxyHeaderForwardedOnlyForwardedCounts) {
  ServerProcess server(behind_proxy("proxy_header = \"forwarded\"\n"));
  ASSERT_EQ(request_from(server, "127.0.0.1",
                         health_request("Forwarded: for=\"[2001:db8::7]:4711\";proto=https\r\n"
                                        "X-Forwarded-For: 198.51.100.1\r\n"))
                .status,
            200);
  EXPECT_TRUE(access_logged(server, "2001:db8::7 \"GET /api/health\"")) << server.log();
  ASSERT_EQ(request_from(server, "127.0.0.1", health_request("X-Forwarded-For: 198.51.100.1\r\n")).status, 200);
  EXPECT_TRUE(access_logged(server, "127.0.0.1 \"GET /api/health\"")) << server.log();
  EXPECT_EQ(server.log().find("198.51.100.1"), std::string::npos) << server.log();
}

// A PROXY protocol v2 header: TCP over IPv6 from `source` (16 bytes) to ::1.
std::string proxy_v2_from(const std::string& source) {
  // Appended piecewise: GCC 12 misreports `std::string + char` here (-Warray-bounds).
  std::string header("\r\n\r\n\0\r\nQUIT\n", 12);
  header.push_back('\x21');  // version 2, PROXY
  header.push_back('\x21');  // INET6, STREAM
  header.append("\x00\x24", 2);  // 36 bytes of addresses
  header.append(source);
  header.append(15, '\0').push_back('\x01');  // destination ::1
  header.append("\x12\x34\x00\x50", 4);  // ports 4660 and 80
  return header;
}

TEST(TrustedProxy, ProxyProtocolHeadersNameTheClient) {
  ServerProcess server(behind_proxy("proxy_protocol = true\n", kProxyProtocolPeer));
  const RawResponse v1 =
      request_from(server, kProxyProtocolPeer, "PROXY TCP4 198.51.100.9 127.0.0.1 5555 80\r\n" + health_request(""));
  EXPECT_EQ(v1.status, 200);
  EXPECT_TRUE(access_logged(server, "198.51.100.9 \"GET /api/health\"")) << server.log();

  std::string source(16, '\0');
  source[0] = '\x20';
  source[1] = '\x01';
  source[2] = '\x0d';
  source[3] = '\xb8';
  source[15] = '\x05';  // 2001:db8::5
  const RawResponse v2 = request_from(server, kProxyProtocolPeer, proxy_v2_from(source) + health_request(""));
  EXPECT_EQ(v2.status, 200);
  EXPECT_TRUE(access_logged(server, "2001:db8::5 \"GET /api/health\"")) << server.log();

  // A trusted peer without the header is closed unanswered, and the log says why.
  RawConnection bare(server.port(), 0, kProxyProtocolPeer);
  ASSERT_TRUE(bare.send_all(health_request("")));
  EXPECT_TRUE(bare.closed_by_peer(std::chrono::seconds(10)));
  EXPECT_EQ(bare.pending_answer(), "");
  EXPECT_TRUE(eventually([&] { return server.log().find("valid PROXY protocol header") != std::string::npos; }))
      << server.log();

  // An untrusted peer is served as itself; a PROXY line from it is not read
  // as one (it is a malformed request).
  EXPECT_EQ(request_from(server, kDirectClient, health_request("")).status, 200);
  const RawResponse spoof =
      request_from(server, kDirectClient, "PROXY TCP4 203.0.113.5 127.0.0.1 5555 80\r\n" + health_request(""));
  EXPECT_EQ(spoof.status, 400);
  EXPECT_EQ(server.log().find("203.0.113.5"), std::string::npos) << server.log();
}

TEST(TrustedProxy, BehindAProxyHeaderTheForwardingHeadersAreTheClientsOwn) {
  ServerProcess server(behind_proxy("proxy_protocol = true\n", kProxyProtocolPeer));
  httplib::Client admin = server.client();
  ASSERT_EQ(register_device(admin, "tcp-mode-1", kSecret, server.admin_key()), 200);
  ASSERT_EQ(status_of(upload_firmware(admin, server.admin_key(), firmware_image("1.1.0", 20000), "1.1.0")), 200);
  const RawResponse r = request_from(
      server, kProxyProtocolPeer,
      "PROXY TCP4 198.51.100.61 127.0.0.1 5555 80\r\nGET " + check_update_path("tcp-mode-1", "1.0.0", kSecret) +
          " HTTP/1.1\r\nHost: ota.example.com\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.61\r\n"
          "Connection: close\r\n\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(std::string(json_of(r.body).at("url").as_string()).starts_with("http://ota.example.com/")) << r.body;
  EXPECT_TRUE(access_logged(server, "198.51.100.61 \"GET /api/check-update")) << server.log();
  EXPECT_EQ(server.log().find("203.0.113.61"), std::string::npos) << server.log();
}

TEST(TrustedProxy, ProxyProtocolComesBeforeTheTlsHandshake) {
  TempFolder certs("apiota-proxy-tls");
  ServerSetup setup = behind_proxy("proxy_protocol = true\n", kProxyProtocolPeer);
  setup.tls = make_tls_files(certs.path(), "server");
  ServerProcess server(setup);
  TlsProbe probe(setup.tls->ca_file, kProxyProtocolPeer);
  const TlsExchange x =
      probe.get(server.port(), "/api/health", nullptr, "PROXY TCP4 198.51.100.44 127.0.0.1 5555 443\r\n");
  EXPECT_EQ(x.error, "");
  EXPECT_EQ(x.status, 200);
  EXPECT_TRUE(access_logged(server, "198.51.100.44 \"GET /api/health\"")) << server.log();
}

}  // namespace
}  // namespace apiota::testing
