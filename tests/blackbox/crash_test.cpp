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

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/esp_image_builder.h"
#include "support/file_probes.h"
#include "support/http_checks.h"
#include "support/multipart_request.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr int kStreamThreads = 4;
constexpr auto kStreamTimeBeforeKill = 1500ms;

std::string device_secret(const std::string& device_id) { return "crash-secret-" + device_id; }

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
  const UploadRequest request = upload_request(server.admin_key(), image, "5.0.0");
  const fs::path tmp_dir = server.data_dir() / "tmp";

  {
    RawConnection socket(server.port());
    ASSERT_TRUE(socket.ok());
    // Send the head and about half of the file, a slice at a time.
    const std::size_t half = request.head_size + image.size() / 2;
    const std::size_t slice = 128 * 1024;
    for (std::size_t sent = 0; sent < half; sent += slice) {
      ASSERT_TRUE(socket.send_all(std::string_view(request.bytes).substr(sent, std::min(slice, half - sent))))
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
