// The origin download URLs start with when no public URL is configured
// (api/request_origin.h, api/firmware_url.h): the request's Host when it is a
// plain host[:port], else the address the connection reached; a configured
// public URL always wins.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/firmware_url.h"
#include "api/request_origin.h"

namespace apiota::api {
namespace {

Request with_host(std::optional<std::string> host) {
  Request req;
  req.local_address = "192.0.2.10:8080";
  if (host) req.headers.emplace_back("host", *host);
  return req;
}

TEST(RequestOrigin, PlainHostsAndPortsAreAccepted) {
  for (const char* host : {"ota.example.com", "ota.example.com:8443", "OTA-7.Example.COM", "localhost:1",
                           "10.0.0.7:65535", "my_host.lan", "[::1]", "[::1]:8080", "[2001:db8::7]:18437",
                           "[::ffff:192.0.2.1]:80"}) {
    EXPECT_TRUE(is_plain_host_port(host)) << host;
  }
  EXPECT_TRUE(is_plain_host_port(std::string(253, 'a')));
}

TEST(RequestOrigin, AnythingElseIsRefused) {
  const std::vector<std::string> refused = {
      "", ":8080", "user@host", "user:pw@host:80", "host/path", "host?q", "host#f", "host name", " host", "host ",
      "host\t", std::string("host\0x", 6), "host\r\nX-Injected: 1", "ho%73t", "host:", "host:0", "host:65536",
      "host:123456", "host:80:80", "host:+80", "host:8a", "[::1", "[::1]:", "[::1]x", "[::1]:99999", "[not-ip]",
      "[fe80::1%25eth0]", "[v1.fe]", "::1", "\"host\"", "host,other", "h\xc3\xa9st", std::string(254, 'a')};
  for (const std::string& host : refused) EXPECT_FALSE(is_plain_host_port(host)) << host;
}

TEST(RequestOrigin, HostElseTheAddressReached) {
  EXPECT_EQ(request_origin(with_host("ota.local:9000")), "http://ota.local:9000");
  EXPECT_EQ(request_origin(with_host("[::1]:9000")), "http://[::1]:9000");
  EXPECT_EQ(request_origin(with_host("evil@ota.local")), "http://192.0.2.10:8080");
  EXPECT_EQ(request_origin(with_host(std::nullopt)), "http://192.0.2.10:8080");
}

TEST(RequestOrigin, AConfiguredPublicUrlWins) {
  service::Settings settings;
  EXPECT_EQ(download_base(settings, with_host("ota.local:9000")), "http://ota.local:9000");
  settings.public_url = "https://ota.example.com/fleet";
  EXPECT_EQ(download_base(settings, with_host("ota.local:9000")), "https://ota.example.com/fleet");
  EXPECT_EQ(download_base(settings, with_host(std::nullopt)), "https://ota.example.com/fleet");
}

}  // namespace
}  // namespace apiota::api
