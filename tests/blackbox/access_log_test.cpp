// The access log against the real binary (its standard output, server.log):
// (a) secrets never reach it, whatever their encoding: parameter names
//     percent-encoded (device_s%65cret, s%69g), an admin key in an
//     `authorization` parameter, in the path or in any value, or in a target
//     the server rejects as malformed; a '"' in a target cannot end the
//     quoted field;
// (b) every request served before SIGTERM has its line, in spdlog's format,
//     once the server has exited: the log is buffered, not lossy;
// (c) a download's line has the status its reply carried (206, 304, 416).

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

int status_of_get(std::uint16_t port, const std::string& target) {
  return raw_status(
      raw_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
}

TEST(AccessLog, SecretsNeverReachItWhateverTheirEncoding) {
  ServerProcess server;
  auto created = server.cli({"keys", "create", "--role", "admin"});
  ASSERT_EQ(created.exit_code, 0);
  const std::string key = last_line(created.out);
  ASSERT_EQ(key.rfind("pk_live_", 0), 0u) << key;
  const std::string key_body = key.substr(8);
  const auto port = server.port();

  EXPECT_NE(status_of_get(port, "/api/check-update?device_id=d1&version=1.0.0&device_s%65cret=SECRET-ONE-123"), 0);
  EXPECT_NE(status_of_get(port, "/api/firmware/fw-1.0.0-stable.bin?d=d1&exp=9999999999&s%69g=SIG-TWO-456"), 0);
  EXPECT_NE(status_of_get(port, "/api/admin/devices?authorization=Bearer%20" + key), 0);
  EXPECT_NE(status_of_get(port, "/api/nothing/" + key), 0);
  EXPECT_NE(status_of_get(port, "/api/health?note=pk%5Flive%5F" + key_body), 0);
  EXPECT_EQ(status_of_get(port, "/api/check-update?device_id=d1&device_secret=MALFORMED-789%zz"), 400);
  EXPECT_EQ(status_of_get(port, "/api/health?a=\"forged\""), 400);
  ASSERT_EQ(server.stop(), 0);

  const std::string log = server.log();
  for (const std::string& secret : {std::string("SECRET-ONE-123"), std::string("SIG-TWO-456"), key_body,
                                    std::string("MALFORMED-789")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in server.log:\n" << log;
  }
  // Each request was logged, redacted.
  for (const char* logged :
       {"\"GET /api/check-update?device_id=d1&version=1.0.0&device_s%65cret=REDACTED\" 401",
        "\"GET /api/firmware/fw-1.0.0-stable.bin?d=d1&exp=9999999999&s%69g=REDACTED\" ",
        "\"GET /api/admin/devices?authorization=REDACTED\" 401", "\"GET /api/nothing/pk_REDACTED\" 404",
        "\"GET /api/health?note=pk_REDACTED\" 200", "\"GET /api/check-update?device_id=d1&device_secret=REDACTED\" 400",
        "\"GET /api/health?a=\\x22forged\\x22\" 400"}) {
    EXPECT_NE(log.find(logged), std::string::npos) << logged << " not in server.log:\n" << log;
  }
}

TEST(AccessLog, EveryRequestServedBeforeSigtermIsLogged) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  ServerProcess server;
  std::vector<std::thread> clients;
  std::vector<int> answered(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      auto client = server.client();
      client.set_keep_alive(true);
      for (int i = 0; i < kPerThread; ++i) {
        auto res = client.Get("/api/health?n=" + std::to_string(t) + "-" + std::to_string(i));
        if (res && res->status == 200) ++answered[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& c : clients) c.join();
  for (int n : answered) ASSERT_EQ(n, kPerThread);
  ASSERT_EQ(server.stop(), 0);

  // spdlog's format: "%Y-%m-%dT%H:%M:%S.%eZ info " then the access line.
  const std::regex line_format(
      R"re(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info 127\.0\.0\.1 "GET /api/health\?n=(\d+)-(\d+)" 200 \d+ \d+\.\dms)re");
  std::set<std::pair<int, int>> seen;
  std::size_t lines = 0;
  std::istringstream log(server.log());
  for (std::string line; std::getline(log, line);) {
    if (line.find("/api/health?n=") == std::string::npos) continue;
    ++lines;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, line_format)) << line;
    seen.emplace(std::stoi(m[1].str()), std::stoi(m[2].str()));
  }
  EXPECT_EQ(lines, static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

// The status logged is the one the reply carried: a download answers 206, 304
// or 416 only once the Range and If-None-Match headers are weighed.
TEST(AccessLog, RecordsTheStatusTheDownloadReplyCarried) {
  constexpr const char* kSecret = "log-secret-0123456789";
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "log-dev", kSecret, server.admin_key()), 200);
  const auto image = firmware_image("1.1.0", 4096);
  ASSERT_EQ(status_of(upload_firmware(client, server.admin_key(), image, "1.1.0")), 200);
  auto poll = client.Get(check_update_path("log-dev", "1.0.0", kSecret));
  ASSERT_EQ(status_of(poll), 200);
  const auto answer = json_of(poll->body);
  const std::string target = std::string(answer.at("url").as_string()).substr(server.base_url().size());
  const std::string etag = "\"" + std::string(answer.at("sha256").as_string()) + "\"";

  // Each request gets its own `probe` parameter (the download ignores it):
  // lines from several connections may be written in any order.
  EXPECT_EQ(status_of(client.Get(target + "&probe=full")), 200);
  EXPECT_EQ(status_of(client.Get(target + "&probe=range", {{"Range", "bytes=0-99"}})), 206);
  EXPECT_EQ(status_of(client.Get(target + "&probe=unchanged", {{"If-None-Match", etag}})), 304);
  EXPECT_EQ(status_of(client.Get(target + "&probe=past-end", {{"Range", "bytes=99999999-"}})), 416);
  EXPECT_EQ(status_of(client.Head(target + "&probe=head-range", {{"Range", "bytes=100-"}})), 206);
  ASSERT_EQ(server.stop(), 0);

  const std::regex download_line(
      R"re("(GET|HEAD) /api/firmware/fw-1\.1\.0-stable\.bin\?[^"]*&probe=([a-z-]+)" (\d+) (\d+) )re");
  std::map<std::string, std::string> logged;  // probe -> "METHOD STATUS BYTES"
  std::istringstream log(server.log());
  for (std::string line; std::getline(log, line);) {
    std::smatch m;
    if (std::regex_search(line, m, download_line)) {
      logged[m[2].str()] = m[1].str() + " " + m[3].str() + " " + m[4].str();
    }
  }
  EXPECT_EQ(logged["full"], "GET 200 " + std::to_string(image.size())) << server.log();
  EXPECT_EQ(logged["range"], "GET 206 100");
  EXPECT_EQ(logged["unchanged"], "GET 304 0");
  EXPECT_EQ(logged["past-end"].substr(0, 8), "GET 416 ");
  EXPECT_EQ(logged["head-range"], "HEAD 206 0");
}

}  // namespace
}  // namespace apiota::testing
