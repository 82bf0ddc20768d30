// Request limits against the real binary: the per-device plan rate (429 with
// Retry-After: 60, other devices unaffected), the per-address limit from the
// config file, many devices behind one address, `--rate-limit off`, oversized
// headers and JSON bodies, a stalled client that must not block others, one
// server per port, one I/O thread per usable CPU, and a client that stops
// reading a reply.

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "limits-secret-0123456";

::testing::AssertionResult is_rate_limited(const httplib::Result& res) {
  auto base = is_error(res, 429, "RATE_LIMITED");
  if (!base) return base;
  if (res->get_header_value("Retry-After") != "60") {
    return ::testing::AssertionFailure() << "Retry-After is '" << res->get_header_value("Retry-After") << "'";
  }
  return ::testing::AssertionSuccess();
}

httplib::Result check(httplib::Client& client, const std::string& device_id) {
  return client.Get(check_update_path(device_id, "1.0.0", kSecret));
}

// Sets the default project's device rate via the CLI and waits until the
// running server reports it.
void tighten_device_plan(ServerProcess& server, httplib::Client& client) {
  auto plan = server.cli({"projects", "plan", "default", "--device-rpm", "6", "--device-burst", "3"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out;
  ASSERT_TRUE(eventually([&] {
    auto res = client.Get("/api/admin/project", bearer(server.admin_key()));
    return res && res->status == 200 && json_of(res->body).at("plan").at("device_burst").to_number<double>() == 3.0;
  }));
}

TEST(Limits, PerDeviceRateFromThePlan) {
  ServerProcess server(ServerSetup{.extra_args = {}, .config_toml = ""});
  auto client = server.client();
  ASSERT_EQ(register_device(client, "rl-1", kSecret, server.admin_key()), 200);
  ASSERT_EQ(register_device(client, "rl-2", kSecret, server.admin_key()), 200);
  tighten_device_plan(server, client);

  for (int i = 0; i < 3; ++i) {
    auto res = check(client, "rl-1");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << "request " << i + 1 << ": " << res->body;
  }
  EXPECT_TRUE(is_rate_limited(check(client, "rl-1")));
  EXPECT_TRUE(is_rate_limited(client.Get(std::string("/api/config?device_id=rl-1&device_secret=") + kSecret)));

  // Another device has its own bucket.
  auto other = check(client, "rl-2");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200) << other->body;
  // The admin API is not a device call and stays usable.
  auto admin = client.Get("/api/admin/devices/rl-1", bearer(server.admin_key()));
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 200);
}

TEST(Limits, PerAddressLimitFromConfig) {
  ServerProcess server(
      ServerSetup{.extra_args = {}, .config_toml = "[limits]\naddress_requests_per_minute = 60\naddress_burst = 5\n"});
  auto client = server.client();
  // Five device calls from this address pass (errors count too)...
  ASSERT_EQ(register_device(client, "ad-1", kSecret, server.admin_key()), 200);
  auto unknown = check(client, "nobody");
  EXPECT_TRUE(is_error(unknown, 401, "DEVICE_NOT_FOUND"));
  for (int i = 0; i < 3; ++i) {
    auto res = check(client, "ad-1");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << "request " << i + 3 << ": " << res->body;
  }
  // ...the sixth does not, whatever the device or endpoint.
  EXPECT_TRUE(is_rate_limited(check(client, "ad-1")));
  EXPECT_TRUE(is_rate_limited(check(client, "nobody")));
  EXPECT_TRUE(is_rate_limited(client.Post("/api/register", R"({"device_id":"ad-2"})", "application/json")));
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(Limits, ManyDevicesBehindOneAddressAreFineByDefault) {
  ServerProcess server(ServerSetup{.extra_args = {}, .config_toml = ""});
  auto client = server.client();
  for (int i = 0; i < 40; ++i) {
    const std::string id = "nat-" + std::to_string(i);
    ASSERT_EQ(register_device(client, id, kSecret, server.admin_key()), 200) << id;
    for (int j = 0; j < 3; ++j) {
      auto res = check(client, id);
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << id << ": " << res->body;
    }
  }
}

TEST(Limits, RateLimitOffNeverAnswers429) {
  ServerProcess server(ServerSetup{.extra_args = {"--rate-limit", "off"},
                                   .config_toml = "[limits]\naddress_requests_per_minute = 60\naddress_burst = 5\n"});
  auto client = server.client();
  ASSERT_EQ(register_device(client, "off-1", kSecret, server.admin_key()), 200);
  tighten_device_plan(server, client);
  for (int i = 0; i < 40; ++i) {
    auto res = check(client, "off-1");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << "request " << i + 1 << ": " << res->body;
  }
}

TEST(Limits, OversizedHeadersAreRefusedWithoutHarm) {
  ServerProcess server;
  std::string request = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(40 * 1024, 'a') +
                        "\r\nConnection: close\r\n\r\n";
  std::string reply = raw_exchange(server.port(), request);
  EXPECT_TRUE(reply.empty() || reply.starts_with("HTTP/1.1 431")) << reply.substr(0, 200);
  if (!reply.empty()) {
    EXPECT_NE(reply.find("\"error\""), std::string::npos) << reply;
  }

  // Many header lines adding up past the limit.
  std::string many = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 2000; ++i) many += "X-H" + std::to_string(i) + ": " + std::string(20, 'b') + "\r\n";
  many += "Connection: close\r\n\r\n";
  std::string reply2 = raw_exchange(server.port(), many);
  EXPECT_TRUE(reply2.empty() || reply2.starts_with("HTTP/1.1 431")) << reply2.substr(0, 200);

  auto client = server.client();
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(::kill(server.pid(), 0), 0) << "server died";
}

TEST(Limits, OversizedJsonBodyIs413) {
  ServerProcess server;
  auto client = server.client();
  std::string big = R"({"device_id":"big-dev","device_secret":")" + std::string(kSecret) + R"(","pk_key":")" +
                    server.admin_key() + R"(","pad":")" + std::string(300 * 1024, 'x') + "\"}";
  EXPECT_TRUE(is_error(client.Post("/api/register", big, "application/json"), 413, "PAYLOAD_TOO_LARGE"));
  EXPECT_TRUE(is_error(client.Post("/api/ota-log", big, "application/json"), 413, "PAYLOAD_TOO_LARGE"));
  EXPECT_TRUE(is_error(client.Put("/api/admin/config", bearer(server.admin_key()), big, "application/json"), 413,
                       "PAYLOAD_TOO_LARGE"));

  // The same without Content-Length, chunked.
  std::string chunked =
      "POST /api/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  for (std::size_t at = 0; at < big.size(); at += 32 * 1024) chunked += http_chunk(big.substr(at, 32 * 1024));
  chunked += "0\r\n\r\n";
  std::string reply = raw_exchange(server.port(), chunked);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply.substr(0, 200);

  // Nothing was registered and the server is fine.
  auto devices = client.Get("/api/admin/devices", bearer(server.admin_key()));
  ASSERT_TRUE(devices);
  EXPECT_EQ(json_of(devices->body).at("total").to_number<int>(), 0);
  // A body just under the limit is parsed normally.
  std::string fits = R"({"device_id":"ok-dev","device_secret":")" + std::string(kSecret) + R"(","pk_key":")" +
                     server.admin_key() + R"(","pad":")" + std::string(200 * 1024, 'x') + "\"}";
  auto ok = client.Post("/api/register", fits, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST(Limits, StalledClientsDoNotBlockOthers) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "slow-ok", kSecret, server.admin_key()), 200);

  // Several connections that send half a request line and stall.
  std::vector<std::unique_ptr<RawConnection>> stalled;
  for (int i = 0; i < 8; ++i) {
    stalled.push_back(std::make_unique<RawConnection>(server.port()));
    ASSERT_TRUE(stalled.back()->ok());
    ASSERT_TRUE(stalled.back()->send_all("GET /api/check-upd"));
  }
  // One more that stalls in the middle of a body.
  stalled.push_back(std::make_unique<RawConnection>(server.port()));
  ASSERT_TRUE(stalled.back()->ok());
  ASSERT_TRUE(
      stalled.back()->send_all("POST /api/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                               "Content-Length: 1000\r\n\r\n{\"device_id\":"));

  for (int i = 0; i < 20; ++i) {
    auto started = std::chrono::steady_clock::now();
    auto res = check(client, "slow-ok");
    auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(res) << "request " << i;
    EXPECT_EQ(res->status, 200);
    EXPECT_LT(elapsed, std::chrono::seconds(1)) << "request " << i << " was held up";
  }
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(Limits, ASecondServerOnTheSamePortDoesNotStart) {
  // Every I/O thread listens with SO_REUSEPORT; another apiota must still
  // be refused the port rather than share its connections.
  ServerProcess server;
  auto second = server.cli({"serve", "--listen", "127.0.0.1:" + std::to_string(server.port())});
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.out.find("in use"), std::string::npos) << second.out;
  auto health = server.client().Get("/api/health");
  EXPECT_EQ(status_of(health), 200);
}

TEST(Limits, APortHeldByAnotherProgramIsRefused) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in where{};
  where.sin_family = AF_INET;
  where.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&where), sizeof(where)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t length = sizeof(where);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&where), &length), 0);
  ServerProcess server;
  auto refused = server.cli({"serve", "--listen", "127.0.0.1:" + std::to_string(ntohs(where.sin_port))});
  ::close(fd);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.out.find("in use"), std::string::npos) << refused.out;
}

TEST(Limits, OneIoThreadPerUsableCpu) {
  // A server confined to one CPU (a cpuset container, taskset) runs one I/O
  // thread, not one per CPU of the machine.
  cpu_set_t mask;
  CPU_ZERO(&mask);
  ASSERT_EQ(::sched_getaffinity(0, sizeof mask, &mask), 0);
  int first_allowed = 0;  // CPU 0 may lie outside a container's cpuset
  while (!CPU_ISSET(first_allowed, &mask)) ++first_allowed;
  ServerSetup one_cpu;
  one_cpu.cpu = first_allowed;
  ServerProcess confined(one_cpu);
  EXPECT_NE(confined.log().find("(1 I/O threads"), std::string::npos) << confined.log();
  EXPECT_EQ(status_of(confined.client().Get("/api/health")), 200);

  ServerProcess free_to_roam;
  std::string expected = "(" + std::to_string(CPU_COUNT(&mask)) + " I/O threads";
  EXPECT_NE(free_to_roam.log().find(expected), std::string::npos) << free_to_roam.log();
}

TEST(Limits, AClientThatStopsReadingIsDroppedAfterTheWriteTimeout) {
  // A download nobody reads must not hold a connection (and its file) open
  // forever: after write_timeout_seconds without progress the server drops it.
  ServerProcess server(ServerSetup{.extra_args = {"--rate-limit", "off"},
                                   .config_toml = "[limits]\nwrite_timeout_seconds = 1\n"});
  auto image = firmware_image("5.0.0", 8 * 1024 * 1024);
  {
    auto client = server.client();
    auto up = upload_firmware(client, server.admin_key(), image, "5.0.0");
    ASSERT_TRUE(up);
    ASSERT_EQ(up->status, 200) << up->body;
  }
  RawConnection stalled(server.port(), 64 * 1024);
  ASSERT_TRUE(stalled.ok());
  ASSERT_TRUE(stalled.send_all("GET /api/firmware/fw-5.0.0-stable.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Authorization: Bearer " + server.admin_key() + "\r\n\r\n"));
  RawResponse res;
  ASSERT_TRUE(stalled.read_head(res));
  ASSERT_EQ(res.status, 200);
  std::this_thread::sleep_for(std::chrono::seconds(3));

  EXPECT_TRUE(stalled.closed_by_peer(std::chrono::seconds(5))) << "the stalled download was never dropped";
  std::string body;
  stalled.read_body(body, image.size(), std::chrono::milliseconds(100));
  EXPECT_LT(body.size(), image.size()) << "the whole file was sent to a client that did not read";
  EXPECT_EQ(status_of(server.client().Get("/api/health")), 200);
}

}  // namespace
}  // namespace apiota::testing
