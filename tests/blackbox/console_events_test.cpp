// The console's live events against the real binary (docs/api.md,
// "GET /api/admin/events"): a stream authenticated by Bearer or the session
// cookie receives release events for an upload and a pause, ota events with
// the release for OTA reports, device events for registrations; streams are
// bounded per project (429 above); an open stream outlives the idle timeout
// and does not hold up the server's shutdown.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "events-secret-0123456";

ServerSetup short_idle_timeout() {
  ServerSetup setup;
  setup.config_toml = "idle_timeout_seconds = 1\n";
  return setup;
}

class ConsoleEvents : public ::testing::Test {
 protected:
  ConsoleEvents() : server_(short_idle_timeout()), client_(server_.client()) {}

  // Opens a stream with `auth_header` ("Authorization: Bearer ..." or
  // "Cookie: ..."); the head is read into `head`.
  std::unique_ptr<RawConnection> open(const std::string& auth_header, RawResponse& head) {
    auto conn = std::make_unique<RawConnection>(server_.port());
    conn->send_all("GET /api/admin/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" + auth_header +
                   "\r\n\r\n");
    EXPECT_TRUE(conn->read_head(head)) << conn->pending_answer();
    return conn;
  }

  std::unique_ptr<RawConnection> open_stream() {
    RawResponse head;
    auto conn = open("Authorization: Bearer " + server_.admin_key(), head);
    EXPECT_EQ(head.status, 200) << head.status_line;
    EXPECT_EQ(head.header("Content-Type"), "text/event-stream");
    return conn;
  }

  std::int64_t upload(const std::string& version) {
    EspImageSpec spec;
    spec.version = version;
    spec.payload_bytes = 2048;
    auto res = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), version);
    EXPECT_EQ(status_of(res), 200) << (res ? res->body : "no response");
    return res ? json_of(res->body).at("id").to_number<std::int64_t>() : 0;
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(ConsoleEvents, ReleaseOtaAndDeviceChangesArriveAsEvents) {
  auto stream = open_stream();
  const std::int64_t id = upload("1.1.0");
  const std::string ids = "{\"release_ids\":[" + std::to_string(id) + "]}";
  std::string got = stream->read_until("event: release\ndata: " + ids + "\n\n", 5s);
  EXPECT_NE(got.find("event: release\ndata: " + ids), std::string::npos) << got;

  ASSERT_EQ(register_device(client_, "live-1", kSecret, server_.admin_key(), "1.0.0"), 200);
  got = stream->read_until("event: device\ndata: {}\n\n", 5s);
  EXPECT_NE(got.find("event: device"), std::string::npos) << got;

  const std::string report = std::string(R"({"device_id":"live-1","device_secret":")") + kSecret +
                             R"(","status":"downloading","from_version":"1.0.0","to_version":"1.1.0"})";
  ASSERT_EQ(status_of(client_.Post("/api/ota-log", report, "application/json")), 200);
  got = stream->read_until("event: ota\ndata: " + ids + "\n\n", 5s);
  EXPECT_NE(got.find("event: ota\ndata: " + ids), std::string::npos) << got;

  auto paused = client_.Post("/api/admin/releases/" + std::to_string(id) + "/pause", bearer(server_.admin_key()),
                             "{}", "application/json");
  ASSERT_EQ(status_of(paused), 200) << (paused ? paused->body : "no response");
  got = stream->read_until("event: audit\ndata: {}\n\n", 5s);
  EXPECT_NE(got.find("event: release\ndata: " + ids), std::string::npos) << got;
  EXPECT_NE(got.find("event: audit"), std::string::npos) << got;

  // Past the idle timeout (1 s) the stream is still open and still served.
  EXPECT_FALSE(stream->closed_by_peer(2500ms));
  ASSERT_EQ(status_of(client_.Post("/api/admin/releases/" + std::to_string(id) + "/resume",
                                   bearer(server_.admin_key()), "{}", "application/json")),
            200);
  got = stream->read_until("event: release", 5s);
  EXPECT_NE(got.find("event: release"), std::string::npos) << got;
}

TEST_F(ConsoleEvents, TheSessionCookieOpensAStreamAndNothingElseDoes) {
  auto signed_in = client_.Post("/api/console/session", {{"X-Apiota-Console", "1"}},
                                R"({"key":")" + server_.admin_key() + R"("})", "application/json");
  ASSERT_EQ(status_of(signed_in), 201);
  const std::string cookie = signed_in->get_header_value("Set-Cookie");
  RawResponse head;
  auto stream = open("Cookie: " + cookie.substr(0, cookie.find(';')), head);
  EXPECT_EQ(head.status, 200) << head.status_line;
  upload("1.2.0");
  EXPECT_NE(stream->read_until("event: release", 5s).find("event: release"), std::string::npos);

  RawResponse refused;
  auto anonymous = open("X-Nothing: 1", refused);
  EXPECT_EQ(refused.status, 401);
  auto wrong = open("Authorization: Bearer pk_live_" + std::string(32, 'x'), refused);
  EXPECT_EQ(refused.status, 401);
}

TEST_F(ConsoleEvents, OpenStreamsAreBoundedPerProject) {
  std::vector<std::unique_ptr<RawConnection>> streams;
  for (int i = 0; i < 16; ++i) streams.push_back(open_stream());
  RawResponse refused;
  auto extra = open("Authorization: Bearer " + server_.admin_key(), refused);
  EXPECT_EQ(refused.status, 429) << refused.status_line;
  std::string body;
  extra->read_body(body, std::stoul(refused.header("Content-Length").empty() ? "0" : refused.header("Content-Length")),
                   2s);
  EXPECT_NE(body.find("RATE_LIMITED"), std::string::npos) << body;
  streams.pop_back();  // a closed stream frees its place within a poll interval
  bool reopened = false;
  for (int attempt = 0; attempt < 30 && !reopened; ++attempt) {
    RawResponse head;
    auto again = open("Authorization: Bearer " + server_.admin_key(), head);
    reopened = head.status == 200;
    if (reopened) streams.push_back(std::move(again));
    else std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(reopened);
}

TEST_F(ConsoleEvents, AnOpenStreamDoesNotHoldUpShutdown) {
  auto stream = open_stream();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server_.stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_TRUE(stream->closed_by_peer(1s));
}

}  // namespace
}  // namespace apiota::testing
