// Crash: SIGKILL must never lose acknowledged data or leave a half-written
// state behind.
//
// 1. Four threads stream registrations and ota-logs as fast as they can; the
//    server is killed with SIGKILL while they run, then restarted on the same
//    data folder. It must open cleanly, and every registration and ota-log it
//    answered with 200 must be there.
// 2. The server is killed while a 4 MiB upload is half sent. After a restart
//    data/tmp is empty, no release exists, and a normal upload of the same
//    version succeeds.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr int kStreamThreads = 4;
constexpr auto kStreamTimeBeforeKill = 1500ms;

std::string device_secret(const std::string& device_id) { return "crash-secret-" + device_id; }

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

boost::json::value admin_get(const ServerProcess& server, const std::string& path) {
  auto client = server.client();
  auto res = client.Get(path, bearer(server.admin_key()));
  if (!res || res->status != 200) {
    ADD_FAILURE() << "GET " << path << " -> " << (res ? std::to_string(res->status) + " " + res->body : "no answer");
    return nullptr;
  }
  return json_of(res->body);
}

std::size_t file_count(const fs::path& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) ++n;
  return n;
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

// What one streaming thread got acknowledged, and anything unexpected it saw
// while the server was still up.
struct StreamRecord {
  std::vector<std::string> devices;
  std::map<std::int64_t, std::string> logs;  // log id -> device id
  std::vector<std::string> surprises;
};

void stream_requests(const ServerProcess& server, int thread, const std::atomic<bool>& killed,
                     const std::atomic<bool>& stop, StreamRecord& out) {
  auto client = server.client();
  client.set_connection_timeout(1);
  client.set_read_timeout(5);
  for (int i = 0; !stop; ++i) {
    std::string id = "crash-" + std::to_string(thread) + "-" + std::to_string(i);
    std::string secret = device_secret(id);
    int status = register_device(client, id, secret, server.admin_key());
    if (status != 200) {
      if (!killed) out.surprises.push_back("register " + id + " -> " + std::to_string(status));
      continue;
    }
    out.devices.push_back(id);
    boost::json::object body{
        {"device_id", id}, {"device_secret", secret}, {"status", "downloading"}, {"to_version", "1.1.0"}};
    auto res = client.Post("/api/ota-log", boost::json::serialize(body), "application/json");
    if (!res || res->status != 200) {
      if (!killed) out.surprises.push_back("ota-log " + id + " -> " + (res ? std::to_string(res->status) : "none"));
      continue;
    }
    boost::system::error_code ec;
    auto answer = boost::json::parse(res->body, ec);
    if (ec || !answer.is_object() || !answer.as_object().contains("id")) {
      out.surprises.push_back("ota-log answer without id: " + res->body);
      continue;
    }
    out.logs[answer.at("id").to_number<std::int64_t>()] = id;
  }
}

// A raw connection used to send an upload in pieces.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  bool ok() const { return fd_ >= 0; }
  // Whatever the server already sent back (for failure messages).
  std::string pending_answer() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
  bool send_all(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

 private:
  int fd_ = -1;
};

// A complete multipart upload request (head and body) for `image`.
std::string upload_request(const ServerProcess& server, const std::vector<std::uint8_t>& image,
                           const std::string& version, std::size_t& head_size) {
  const std::string boundary = "----apiotaCrashBoundary7MA4YWxkTrZu0gW";
  std::string body;
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n" + version + "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nstable\r\n";
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"firmware.bin\"\r\n"
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

TEST(Crash, SigkillDuringRequestStreamLosesNoAcknowledgedWrite) {
  ServerProcess server;
  std::atomic<bool> killed{false};
  std::atomic<bool> stop{false};
  std::vector<StreamRecord> records(kStreamThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kStreamThreads; ++t) {
    threads.emplace_back([&, t] { stream_requests(server, t, killed, stop, records[t]); });
  }
  std::this_thread::sleep_for(kStreamTimeBeforeKill);
  killed = true;
  server.kill_hard();
  std::this_thread::sleep_for(100ms);  // the streams keep trying against the dead port
  stop = true;
  for (auto& t : threads) t.join();

  std::set<std::string> devices;
  std::map<std::string, std::set<std::int64_t>> logs_by_device;
  for (const auto& r : records) {
    for (const auto& s : r.surprises) ADD_FAILURE() << "before the kill: " << s;
    devices.insert(r.devices.begin(), r.devices.end());
    for (const auto& [log_id, device] : r.logs) logs_by_device[device].insert(log_id);
  }
  ASSERT_GE(devices.size(), 20u) << "the stream got too little done to test anything";

  ASSERT_NO_THROW(server.start()) << "the store did not reopen after SIGKILL";
  auto client = server.client();
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  // Every acknowledged registration is there.
  std::set<std::string> stored;
  for (std::int64_t offset = 0;; offset += 1000) {
    auto page = admin_get(server, "/api/admin/devices?limit=1000&offset=" + std::to_string(offset));
    ASSERT_TRUE(page.is_object());
    const auto& list = page.at("devices").as_array();
    for (const auto& d : list) stored.insert(std::string(d.at("device_id").as_string()));
    if (list.size() < 1000) break;
  }
  std::size_t missing_devices = 0;
  for (const auto& d : devices) {
    if (!stored.contains(d)) ++missing_devices;
  }
  EXPECT_EQ(missing_devices, 0u) << "of " << devices.size() << " acknowledged registrations";

  // Every acknowledged ota-log is listed under its device.
  std::size_t acked_logs = 0;
  std::size_t missing_logs = 0;
  for (const auto& [device, ids] : logs_by_device) {
    acked_logs += ids.size();
    auto logs = admin_get(server, "/api/admin/devices/" + device + "/logs");
    ASSERT_TRUE(logs.is_object());
    std::set<std::int64_t> listed;
    for (const auto& l : logs.at("logs").as_array()) {
      listed.insert(l.at("id").to_number<std::int64_t>());
      EXPECT_EQ(l.at("status"), "downloading");
    }
    for (auto id : ids) {
      if (!listed.contains(id)) {
        ++missing_logs;
        ADD_FAILURE() << "acknowledged ota-log " << id << " of " << device << " is missing";
      }
    }
  }
  EXPECT_GT(acked_logs, 0u);
  EXPECT_EQ(missing_logs, 0u) << "of " << acked_logs << " acknowledged ota-logs";
}

TEST(Crash, SigkillDuringUploadLeavesNoTraceAndTheUploadCanBeRepeated) {
  ServerProcess server;
  EspImageSpec spec;
  spec.version = "5.0.0";
  spec.payload_bytes = 4 * 1024 * 1024;
  auto image = build_esp_app_image(spec);
  std::size_t head_size = 0;
  const std::string request = upload_request(server, image, "5.0.0", head_size);
  const fs::path tmp_dir = server.data_dir() / "tmp";

  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.ok());
    // Send the head and about half of the file, a slice at a time.
    const std::size_t half = head_size + image.size() / 2;
    const std::size_t slice = 128 * 1024;
    for (std::size_t sent = 0; sent < half; sent += slice) {
      ASSERT_TRUE(socket.send_all(std::string_view(request).substr(sent, std::min(slice, half - sent))))
          << "the server closed the upload after " << sent << " bytes, answering: " << socket.pending_answer();
      std::this_thread::sleep_for(2ms);
    }
    // Kill once the server has written a good part of it to its temp file.
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (largest_file(tmp_dir) < image.size() / 4 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_GE(largest_file(tmp_dir), image.size() / 4) << "the upload never reached data/tmp";
    server.kill_hard();
  }

  ASSERT_NO_THROW(server.start());
  EXPECT_EQ(file_count(tmp_dir), 0u) << "data/tmp still holds the unfinished upload after start-up";
  EXPECT_EQ(file_count(server.data_dir() / "firmware"), 0u) << "a firmware file was left behind";
  auto releases = admin_get(server, "/api/admin/releases");
  ASSERT_TRUE(releases.is_object());
  EXPECT_TRUE(releases.at("releases").as_array().empty()) << releases;

  auto client = server.client();
  auto upload = upload_firmware(client, server.admin_key(), image, "5.0.0");
  ASSERT_TRUE(upload) << "upload got no answer (" << httplib::to_string(upload.error())
                      << "); a body over 1 MiB refused early?";
  ASSERT_EQ(upload->status, 200) << upload->body;
  auto download = client.Get("/api/firmware/fw-5.0.0-stable.bin", bearer(server.admin_key()));
  ASSERT_TRUE(download);
  EXPECT_EQ(download->status, 200);
  EXPECT_TRUE(download->body == std::string(image.begin(), image.end())) << "downloaded firmware differs";
  EXPECT_EQ(file_count(tmp_dir), 0u);
}

}  // namespace
}  // namespace apiota::testing
