// Shutdown: graceful SIGTERM.
//
// (a) A slow download (8 MiB, read slowly) and a large upload that are in
//     flight when SIGTERM arrives complete correctly while the server shuts
//     down; new connections are refused after the signal; the process exits
//     with status 0 within the 10 s grace period.
// (b) check-update observations, written behind, are flushed on shutdown: the
//     version a device reported just before SIGTERM is its firmware_version
//     after a restart.
// (c) Idle connections (a keep-alive connection after one request, and one
//     that never sent a request) do not delay shutdown.

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/file_probes.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/multipart_request.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kGrace = 10s;

// Polls until a new connection to `port` is refused (true) or `limit` passes.
bool connections_refused_within(std::uint16_t port, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    RawConnection probe(port);
    if (!probe.ok() && probe.connect_errno() == ECONNREFUSED) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// Sends SIGTERM through the fixture in the background; the future yields the
// exit status and the time from the signal to the exit.
std::future<std::pair<int, Clock::duration>> stop_in_background(ServerProcess& server) {
  return std::async(std::launch::async, [&server] {
    auto start = Clock::now();
    int code = server.stop();
    return std::make_pair(code, Clock::now() - start);
  });
}

TEST(Shutdown, SlowDownloadInFlightCompletesAndNewConnectionsAreRefused) {
  ServerProcess server;
  auto image = firmware_image("4.0.0", 8 * 1024 * 1024);
  {
    auto client = server.client();
    auto up = upload_firmware(client, server.admin_key(), image, "4.0.0");
    ASSERT_TRUE(up) << "upload got no answer (" << httplib::to_string(up.error())
                    << "); a body over 1 MiB refused early?";
    ASSERT_EQ(up->status, 200) << up->body;
  }
  const std::string bytes = as_string(image);

  RawConnection download(server.port(), 64 * 1024);
  ASSERT_TRUE(download.ok());
  ASSERT_TRUE(
      download.send_all("GET /api/firmware/fw-4.0.0-stable.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        "Bearer " +
                        server.admin_key() + "\r\n\r\n"));
  RawResponse res;
  ASSERT_TRUE(download.read_head(res));
  ASSERT_EQ(res.status, 200);
  ASSERT_EQ(res.headers["content-length"], std::to_string(bytes.size()));
  download.read_body(res.body, 256 * 1024, 5000ms);
  ASSERT_EQ(res.body.size(), 256u * 1024);

  auto stopped = stop_in_background(server);
  EXPECT_TRUE(connections_refused_within(server.port(), 3000ms)) << "new connections still accepted after SIGTERM";
  // Most of the body has not left the server yet, so it must still be running.
  EXPECT_EQ(stopped.wait_for(0s), std::future_status::timeout)
      << "the server exited while most of the body was still unsent";

  // Read the rest slowly, 32 KiB every 4 ms.
  while (res.body.size() < bytes.size()) {
    std::size_t before = res.body.size();
    download.read_body(res.body, std::min<std::size_t>(32 * 1024, bytes.size() - before), 2000ms);
    if (res.body.size() == before) break;
    std::this_thread::sleep_for(4ms);
  }
  EXPECT_EQ(res.body.size(), bytes.size());
  EXPECT_TRUE(res.body == bytes) << "the body differs from the image";
  EXPECT_TRUE(download.closed_by_peer(3000ms)) << "the connection stayed open after the response during shutdown";

  ASSERT_EQ(stopped.wait_for(kGrace + 2s), std::future_status::ready);
  auto [code, elapsed] = stopped.get();
  EXPECT_EQ(code, 0);
  EXPECT_LT(elapsed, kGrace);
}

TEST(Shutdown, UploadInFlightCompletesAndIsKept) {
  ServerProcess server;
  auto image = firmware_image("4.1.0", 4 * 1024 * 1024);
  const UploadRequest request = upload_request(server.admin_key(), image, "4.1.0");

  RawConnection upload(server.port());
  ASSERT_TRUE(upload.ok());
  const std::size_t half = request.head_size + image.size() / 2;
  ASSERT_TRUE(upload.send_all(std::string_view(request.bytes).substr(0, half)))
      << "the server closed the upload early, answering: " << upload.pending_answer();
  // Wait until the server is visibly receiving the file.
  auto deadline = Clock::now() + 3s;
  while (largest_file(server.data_dir() / "tmp") < image.size() / 4 && upload.pending_answer().empty() &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(upload.pending_answer(), "") << "the server answered before the upload was complete";

  auto stopped = stop_in_background(server);
  EXPECT_TRUE(connections_refused_within(server.port(), 3000ms)) << "new connections still accepted after SIGTERM";
  EXPECT_EQ(stopped.wait_for(0s), std::future_status::timeout) << "the server exited during the upload";
  ASSERT_TRUE(upload.send_all(std::string_view(request.bytes).substr(half)))
      << "the server closed the upload early, answering: " << upload.pending_answer();
  RawResponse res;
  ASSERT_TRUE(upload.read_head(res, 5000ms));
  auto length = res.headers.find("content-length");
  ASSERT_NE(length, res.headers.end());
  upload.read_body(res.body, std::stoul(length->second), 2000ms);
  EXPECT_EQ(res.status, 200) << res.body;

  ASSERT_EQ(stopped.wait_for(kGrace + 2s), std::future_status::ready);
  auto [code, elapsed] = stopped.get();
  EXPECT_EQ(code, 0);
  EXPECT_LT(elapsed, kGrace);

  // The acknowledged upload survived the shutdown.
  server.start();
  auto client = server.client();
  auto download = client.Get("/api/firmware/fw-4.1.0-stable.bin", bearer(server.admin_key()));
  ASSERT_TRUE(download);
  EXPECT_EQ(download->status, 200);
  EXPECT_TRUE(download->body == as_string(image)) << "stored firmware differs from the upload";
}

TEST(Shutdown, PendingCheckUpdateObservationsAreFlushed) {
  ServerProcess server;
  auto client = server.client();
  const std::string secret = "flush-secret-0123456789";
  ASSERT_EQ(register_device(client, "flush-dev", secret, server.admin_key(), "1.0.0"), 200);

  auto check = client.Get(check_update_path("flush-dev", "1.4.2", secret));
  ASSERT_TRUE(check);
  ASSERT_EQ(check->status, 200) << check->body;
  EXPECT_EQ(server.stop(), 0);

  server.start();
  auto client2 = server.client();
  auto device = client2.Get("/api/admin/devices/flush-dev", bearer(server.admin_key()));
  ASSERT_TRUE(device);
  ASSERT_EQ(device->status, 200) << device->body;
  EXPECT_EQ(json_of(device->body).at("firmware_version"), "1.4.2");
}

TEST(Shutdown, IdleConnectionsDoNotDelayShutdown) {
  ServerProcess server;
  RawConnection keep_alive(server.port());
  ASSERT_TRUE(keep_alive.ok());
  ASSERT_TRUE(keep_alive.send_all("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  RawResponse res;
  ASSERT_TRUE(keep_alive.read_head(res));
  ASSERT_EQ(res.status, 200);
  ASSERT_NE(res.headers["connection"], "close") << "the server did not keep the connection alive";
  keep_alive.read_body(res.body, std::stoul(res.headers["content-length"]), 2000ms);
  RawConnection silent(server.port());  // connected, never sends a request
  ASSERT_TRUE(silent.ok());
  std::this_thread::sleep_for(50ms);

  auto start = Clock::now();
  int code = server.stop();
  auto elapsed = Clock::now() - start;
  EXPECT_EQ(code, 0);
  EXPECT_LT(elapsed, 2s) << "shutdown waited " << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                         << " ms";
  EXPECT_TRUE(keep_alive.closed_by_peer(500ms));
  EXPECT_TRUE(silent.closed_by_peer(500ms));
}

}  // namespace
}  // namespace apiota::testing
