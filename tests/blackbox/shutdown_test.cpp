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

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr auto kGrace = 10s;

std::string as_string(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

std::vector<std::uint8_t> firmware_image(const std::string& version, std::size_t payload_bytes) {
  EspImageSpec spec;
  spec.version = version;
  spec.payload_bytes = payload_bytes;
  return build_esp_app_image(spec);
}

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
};

// A blocking client connection on 127.0.0.1 driven byte by byte by the test.
class RawConnection {
 public:
  // `receive_buffer` > 0 shrinks SO_RCVBUF before connecting, so the server
  // cannot push a large body into the socket buffers at once.
  explicit RawConnection(std::uint16_t port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      connect_errno_ = errno;
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  int connect_errno() const { return connect_errno_; }

  // Whatever the server already sent back (for failure messages).
  std::string pending_answer() {
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT)) > 0) buffer_.append(buf, static_cast<std::size_t>(n));
    return buffer_;
  }

  bool send_all(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Appends up to `max` bytes to the buffer; false on close, error or timeout.
  bool receive(std::size_t max, std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    std::string chunk(max, '\0');
    ssize_t n = ::recv(fd_, chunk.data(), max, 0);
    if (n <= 0) return false;
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
  }

  // Reads a response head (status line and headers) into `out`.
  bool read_head(RawResponse& out, std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = Clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (Clock::now() >= deadline) return false;
      if (!receive(64 * 1024, 100ms) && peer_closed()) return false;
    }
    std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    out = RawResponse{};
    std::size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12) return false;
    out.status = std::stoi(status_line.substr(9, 3));
    std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      std::size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(pos, next - pos);
      if (auto colon = line.find(':'); colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        std::size_t v = line.find_first_not_of(' ', colon + 1);
        out.headers[name] = v == std::string::npos ? "" : line.substr(v);
      }
      pos = next + 2;
    }
    return true;
  }

  // Moves up to `count` body bytes already received or arriving within
  // `timeout` into `body`.
  void read_body(std::string& body, std::size_t count, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (buffer_.size() < count && Clock::now() < deadline) {
      if (!receive(std::min<std::size_t>(count - buffer_.size(), 64 * 1024), 100ms) && peer_closed()) break;
    }
    std::size_t n = std::min(count, buffer_.size());
    body.append(buffer_, 0, n);
    buffer_.erase(0, n);
  }

  // True when the server closed the connection (EOF) within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char c;
      ssize_t n = ::recv(fd_, &c, 1, 0);
      if (n <= 0) return true;
      buffer_.push_back(c);
    }
    return false;
  }

 private:
  bool peer_closed() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    char c;
    return ::recv(fd_, &c, 1, MSG_PEEK) <= 0;
  }

  int fd_ = -1;
  int connect_errno_ = 0;
  std::string buffer_;
};

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

std::string multipart_upload(const ServerProcess& server, const std::vector<std::uint8_t>& image,
                             const std::string& version, std::size_t& head_size) {
  const std::string boundary = "----apiotaShutdownBoundary0123456789";
  std::string body;
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n" + version + "\r\n";
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fw.bin\"\r\n"
          "Content-Type: application/octet-stream\r\n\r\n";
  body.append(image.begin(), image.end());
  body += "\r\n--" + boundary + "--\r\n";
  std::string head = "POST /api/firmware/upload HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                     "\r\nAuthorization: Bearer " + server.admin_key() +
                     "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  head_size = head.size();
  return head + body;
}

std::uintmax_t largest_file(const fs::path& dir) {
  std::error_code ec;
  std::uintmax_t largest = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    auto size = it->file_size(size_ec);
    if (!size_ec) largest = std::max(largest, size);
  }
  return largest;
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
  std::size_t head_size = 0;
  const std::string request = multipart_upload(server, image, "4.1.0", head_size);

  RawConnection upload(server.port());
  ASSERT_TRUE(upload.ok());
  const std::size_t half = head_size + image.size() / 2;
  ASSERT_TRUE(upload.send_all(std::string_view(request).substr(0, half)))
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
  ASSERT_TRUE(upload.send_all(std::string_view(request).substr(half)))
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

  auto check = client.Get("/api/check-update?device_id=flush-dev&version=1.4.2&device_secret=" + secret);
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
