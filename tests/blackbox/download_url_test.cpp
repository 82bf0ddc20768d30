// Where check-update's download URLs point, against the real binary:
// (a) without a configured public URL, at the scheme and Host by which the
//     device reached the server, so a device (and the README's curl
//     walk-through) can download from there; a Host that is not a plain
//     host[:port] (userinfo, a path, spaces, a bad port, none at all) gives
//     way to the address the connection reached;
// (b) an answer served from memory (api/fleet_cache.h) carries the Host of
//     the request it answers, never that of an earlier one;
// (c) with a configured public URL, always at that URL, whatever the Host;
// (d) the start-up line says which of the two applies.

#include <gtest/gtest.h>

#include <string>

#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "url-secret-0123456789";

// The `url` check-update answers `host_line` (a whole "Host: ...\r\n" line,
// or "" for none) with, on a fresh connection; "" when there is no update.
std::string offered_url(std::uint16_t port, const std::string& host_line, const std::string& version = "HTTP/1.1") {
  const std::string request = "GET " + check_update_path("url-dev", "1.0.0", kSecret) + " " + version + "\r\n" +
                              host_line + "Connection: close\r\n\r\n";
  RawResponse res = parse_raw_response(raw_exchange(port, request));
  EXPECT_EQ(res.status, 200) << res.status_line << "\n" << res.body;
  if (res.status != 200) return "";
  auto body = json_of(res.body);
  if (!body.is_object() || !body.as_object().contains("url")) return "";
  return std::string(body.at("url").as_string());
}

ServerSetup with_public_url(bool public_url) {
  ServerSetup setup;
  setup.public_url = public_url;
  return setup;
}

class DownloadUrl : public ::testing::Test {
 protected:
  explicit DownloadUrl(bool public_url = false) : server_(with_public_url(public_url)), client_(server_.client()) {}

  void SetUp() override {
    ASSERT_EQ(register_device(client_, "url-dev", kSecret, server_.admin_key()), 200);
    ASSERT_EQ(status_of(upload_firmware(client_, server_.admin_key(), firmware_image("1.1.0", 2048), "1.1.0")), 200);
  }

  std::string own_address() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

  ServerProcess server_;
  httplib::Client client_;
};

class DownloadUrlConfigured : public DownloadUrl {
 protected:
  DownloadUrlConfigured() : DownloadUrl(true) {}
};

TEST_F(DownloadUrl, FollowsTheHostTheDeviceUsedAndWorksAsHandedOut) {
  // cpp-httplib sends "Host: 127.0.0.1:PORT", as curl does in the README.
  auto poll = client_.Get(check_update_path("url-dev", "1.0.0", kSecret));
  ASSERT_EQ(status_of(poll), 200);
  const std::string url(json_of(poll->body).at("url").as_string());
  const std::string prefix = own_address() + "/api/firmware/fw-1.1.0-stable.bin?";
  ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
  auto download = client_.Get(url.substr(own_address().size()));
  EXPECT_EQ(status_of(download), 200);
  EXPECT_EQ(download ? download->body.size() : 0u, firmware_image("1.1.0", 2048).size());

  for (const std::string host : {"ota.local:9000", "ota.local", "Gateway-7.example.com:8080", "10.0.0.7:18437",
                                 "[::1]:8080", "[2001:db8::7]"}) {
    EXPECT_EQ(offered_url(server_.port(), "Host: " + host + "\r\n").rfind("http://" + host + "/api/firmware/", 0),
              0u)
        << host;
  }
}

TEST_F(DownloadUrl, AnInvalidOrMissingHostFallsBackToTheAddressReached) {
  const std::string fallback = own_address() + "/api/firmware/";
  for (const std::string host :
       {"user@evil.example", "user:pw@evil.example:80", "evil.example/path", "evil.example?x=1", "evil.example#x",
        "evil example", "evil.example:", "evil.example:99999", "evil.example:80x", "evil.example:-1", "[::1",
        "[not-an-ip]", "::1", "[::1]x", "evil%2eexample", "\"evil\"", "evil.example,other.example", ""}) {
    EXPECT_EQ(offered_url(server_.port(), "Host: " + host + "\r\n").rfind(fallback, 0), 0u) << "Host: " << host;
  }
  EXPECT_EQ(offered_url(server_.port(), "").rfind(fallback, 0), 0u) << "no Host";
  EXPECT_EQ(offered_url(server_.port(), "", "HTTP/1.0").rfind(fallback, 0), 0u) << "HTTP/1.0 without Host";
}

TEST_F(DownloadUrl, AnAnswerFromMemoryCarriesTheHostOfItsOwnRequest) {
  // The first poll reads the store and caches the device; the later ones are
  // answered from memory.
  for (int round = 0; round < 3; ++round) {
    for (const std::string host : {"site-a.example:8080", "site-b.example:9090"}) {
      EXPECT_EQ(offered_url(server_.port(), "Host: " + host + "\r\n").rfind("http://" + host + "/api/firmware/", 0),
                0u)
          << host << " in round " << round;
    }
  }
}

TEST_F(DownloadUrlConfigured, AConfiguredPublicUrlIsAlwaysUsed) {
  const std::string configured = server_.base_url() + "/api/firmware/";
  for (const std::string& host_line : {std::string("Host: ota.local:9000\r\n"), std::string("Host: user@x\r\n"),
                                      std::string()}) {
    EXPECT_EQ(offered_url(server_.port(), host_line).rfind(configured, 0), 0u) << host_line;
  }
}

TEST_F(DownloadUrl, TheStartUpLineSaysDownloadUrlsFollowTheHost) {
  EXPECT_NE(server_.log().find("download URLs: from the Host header of each request"), std::string::npos)
      << server_.log();
}

TEST_F(DownloadUrlConfigured, TheStartUpLineNamesTheConfiguredPublicUrl) {
  EXPECT_NE(server_.log().find("download URLs: " + server_.base_url() + " (public URL)"), std::string::npos)
      << server_.log();
}

}  // namespace
}  // namespace apiota::testing
