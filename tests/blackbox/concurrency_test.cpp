// Concurrency: one server under a mixed parallel load, then a check that
// nothing was lost or corrupted.
//
// At the same time, from separate threads each with its own client:
// 200 device registrations (8 threads x 25), every device posting 4 ota-logs
// and polling check-update; 3 firmware uploads of ~1 MiB each (different
// versions); and repeated full and ranged downloads of a firmware uploaded
// beforehand. Afterwards every acknowledged registration, ota-log and upload
// must be visible through the admin API with the data the server
// acknowledged, every download body must be byte-identical to the image (or
// its range), the server log must carry no error line and the server must
// still be healthy.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/digests.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr int kRegisterThreads = 8;
constexpr int kDevicesPerThread = 25;
constexpr int kDeviceCount = kRegisterThreads * kDevicesPerThread;
constexpr const char* kLogStatuses[] = {"checking", "downloading", "verifying", "done"};
constexpr int kDownloadThreads = 2;
constexpr int kDownloadsPerThread = 8;  // alternating full and ranged
constexpr const char* kUploadVersions[] = {"3.0.0", "3.0.1", "3.0.2"};
constexpr const char* kBaseVersion = "2.0.0";
constexpr std::size_t kImageBytes = 1024 * 1024;

std::string device_secret(const std::string& device_id) { return "s3cret-" + device_id + "-padding"; }

std::string provision_key(const ServerProcess& server) {
  auto client = server.client();
  auto res = client.Post("/api/admin/keys", bearer(server.admin_key()), R"({"role":"provision"})", "application/json");
  if (!res || res->status != 201) {
    ADD_FAILURE() << "could not create a provisioning key";
    return {};
  }
  return std::string(json_of(res->body).at("key").as_string());
}

// Lines of the server log at level error/critical, or mentioning an error.
std::vector<std::string> error_lines(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.find("error") != std::string::npos || lower.find("critical") != std::string::npos) out.push_back(line);
  }
  return out;
}

// Problems found inside worker threads; asserted on the main thread.
class Problems {
 public:
  void add(std::string text) {
    std::lock_guard lock(mutex_);
    list_.push_back(std::move(text));
  }
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::move(list_);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> list_;
};

struct AckedLog {
  std::int64_t id = 0;
  std::string status;
};

struct DeviceOutcome {
  std::string device_id;
  int register_status = -1;
  std::vector<AckedLog> logs;
};

struct UploadOutcome {
  std::string version;
  std::vector<std::uint8_t> image;
  int status = -1;
  std::string sha256;
  std::string filename;
};

void run_device(const ServerProcess& server, const std::string& pk_key, DeviceOutcome& out, Problems& problems) {
  auto client = server.client();
  const std::string secret = device_secret(out.device_id);
  out.register_status = register_device(client, out.device_id, secret, pk_key, "1.0.0");
  if (out.register_status != 200) {
    problems.add("register " + out.device_id + " -> " + std::to_string(out.register_status));
    return;
  }
  for (const char* status : kLogStatuses) {
    boost::json::object body{{"device_id", out.device_id},
                             {"device_secret", secret},
                             {"status", status},
                             {"from_version", "1.0.0"},
                             {"to_version", kBaseVersion}};
    auto res = client.Post("/api/ota-log", boost::json::serialize(body), "application/json");
    if (!res || res->status != 200) {
      problems.add("ota-log " + out.device_id + " " + status + " -> " + (res ? std::to_string(res->status) : "none"));
      continue;
    }
    boost::system::error_code ec;
    auto answer = boost::json::parse(res->body, ec);
    if (ec || !answer.is_object() || !answer.as_object().contains("id")) {
      problems.add("ota-log answer without id: " + res->body);
      continue;
    }
    out.logs.push_back({answer.at("id").to_number<std::int64_t>(), status});
  }
  auto check = client.Get(check_update_path(out.device_id, "1.0.0", secret));
  if (!check || check->status != 200) {
    problems.add("check-update " + out.device_id + " -> " + (check ? std::to_string(check->status) : "none"));
    return;
  }
  boost::system::error_code ec;
  auto answer = boost::json::parse(check->body, ec);
  if (ec || !answer.is_object() || answer.as_object().if_contains("update") == nullptr || answer.at("update") != true) {
    problems.add("check-update " + out.device_id + " offered no update: " + check->body);
  }
}

void run_upload(const ServerProcess& server, UploadOutcome& out, Problems& problems) {
  auto client = server.client();
  auto res = upload_firmware(client, server.admin_key(), out.image, out.version);
  if (!res) {
    problems.add("upload " + out.version + ": no answer (" + httplib::to_string(res.error()) + ")");
    return;
  }
  out.status = res->status;
  if (res->status != 200) {
    problems.add("upload " + out.version + " -> " + std::to_string(res->status) + " " + res->body);
    return;
  }
  boost::system::error_code ec;
  auto answer = boost::json::parse(res->body, ec);
  if (ec || !answer.is_object()) {
    problems.add("upload " + out.version + ": answer is not JSON: " + res->body);
    return;
  }
  out.sha256 = std::string(answer.at("sha256").as_string());
  out.filename = std::string(answer.at("filename").as_string());
}

// Full and ranged downloads, each compared with the image.
void run_downloads(const ServerProcess& server, const std::string& path, const std::string& image, unsigned seed,
                   Problems& problems) {
  auto client = server.client();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> offset(0, image.size() - 1);
  for (int i = 0; i < kDownloadsPerThread; ++i) {
    auto headers = bearer(server.admin_key());
    std::size_t first = 0;
    std::size_t last = image.size() - 1;
    bool ranged = i % 2 == 1;
    if (ranged) {
      first = offset(rng);
      last = std::min(image.size() - 1, first + offset(rng) % (256 * 1024));
      headers.emplace("Range", "bytes=" + std::to_string(first) + "-" + std::to_string(last));
    }
    auto res = client.Get(path, headers);
    std::string what =
        std::string(ranged ? "ranged" : "full") + " download " + std::to_string(first) + "-" + std::to_string(last);
    if (!res) {
      problems.add(what + ": no answer");
      continue;
    }
    if (res->status != (ranged ? 206 : 200)) {
      problems.add(what + " -> " + std::to_string(res->status));
      continue;
    }
    if (res->body != image.substr(first, last - first + 1)) {
      problems.add(what + ": body differs from the image (" + std::to_string(res->body.size()) + " bytes)");
    }
  }
}

TEST(Concurrency, MixedParallelLoadLosesAndCorruptsNothing) {
  ServerProcess server;
  const std::string pk_key = provision_key(server);
  ASSERT_FALSE(pk_key.empty());

  auto base_image = firmware_image(kBaseVersion, kImageBytes, 7);
  {
    auto client = server.client();
    auto res = upload_firmware(client, server.admin_key(), base_image, kBaseVersion);
    ASSERT_TRUE(res) << "upload got no answer (" << httplib::to_string(res.error())
                     << "); a body over 1 MiB refused early?";
    ASSERT_EQ(res->status, 200) << res->body;
  }
  const std::string base_path = std::string("/api/firmware/fw-") + kBaseVersion + "-stable.bin";
  const std::string base_bytes = as_string(base_image);

  std::vector<DeviceOutcome> devices(kDeviceCount);
  for (int i = 0; i < kDeviceCount; ++i) devices[i].device_id = "conc-" + std::to_string(i);
  std::vector<UploadOutcome> uploads;
  for (std::size_t i = 0; i < std::size(kUploadVersions); ++i) {
    UploadOutcome upload;
    upload.version = kUploadVersions[i];
    upload.image = firmware_image(upload.version, kImageBytes, 100 + static_cast<std::uint32_t>(i));
    uploads.push_back(std::move(upload));
  }

  Problems problems;
  const int thread_count = kRegisterThreads + static_cast<int>(uploads.size()) + kDownloadThreads;
  std::latch go(thread_count);
  std::vector<std::thread> threads;
  for (int t = 0; t < kRegisterThreads; ++t) {
    threads.emplace_back([&, t] {
      go.arrive_and_wait();
      for (int i = t; i < kDeviceCount; i += kRegisterThreads) run_device(server, pk_key, devices[i], problems);
    });
  }
  for (auto& upload : uploads) {
    threads.emplace_back([&, u = &upload] {
      go.arrive_and_wait();
      run_upload(server, *u, problems);
    });
  }
  for (int t = 0; t < kDownloadThreads; ++t) {
    threads.emplace_back([&, t] {
      go.arrive_and_wait();
      run_downloads(server, base_path, base_bytes, 1000u + static_cast<unsigned>(t), problems);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& p : problems.take()) ADD_FAILURE() << p;

  // Registrations: every acknowledged device exists, and nothing else.
  std::set<std::string> acknowledged;
  for (const auto& d : devices) {
    if (d.register_status == 200) acknowledged.insert(d.device_id);
  }
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(kDeviceCount));
  auto listing = admin_get(server, "/api/admin/devices?limit=1000");
  ASSERT_TRUE(listing.is_object());
  EXPECT_EQ(listing.at("total").to_number<std::int64_t>(), static_cast<std::int64_t>(acknowledged.size()));
  std::set<std::string> listed;
  for (const auto& d : listing.at("devices").as_array()) listed.insert(std::string(d.at("device_id").as_string()));
  EXPECT_EQ(listed, acknowledged);

  // Each device on its own, and its OTA logs.
  for (const auto& d : devices) {
    if (d.register_status != 200) continue;
    auto device = admin_get(server, "/api/admin/devices/" + d.device_id);
    ASSERT_TRUE(device.is_object());
    EXPECT_EQ(device.at("device_id"), d.device_id.c_str());
    // `done` set 2.0.0; the later poll's 1.0.0 wins once written behind.
    EXPECT_TRUE(eventually([&] {
      return admin_get(server, "/api/admin/devices/" + d.device_id).at("firmware_version") == "1.0.0";
    })) << d.device_id;

    auto logs = admin_get(server, "/api/admin/devices/" + d.device_id + "/logs");
    ASSERT_TRUE(logs.is_object());
    std::map<std::int64_t, std::string> stored;
    for (const auto& l : logs.at("logs").as_array()) {
      stored[l.at("id").to_number<std::int64_t>()] = std::string(l.at("status").as_string());
    }
    EXPECT_EQ(stored.size(), d.logs.size()) << d.device_id;
    for (const auto& acked : d.logs) {
      auto it = stored.find(acked.id);
      if (it == stored.end()) {
        ADD_FAILURE() << "acknowledged ota-log " << acked.id << " of " << d.device_id << " is not listed";
      } else {
        EXPECT_EQ(it->second, acked.status) << "ota-log " << acked.id << " of " << d.device_id;
      }
    }
  }

  // Uploads: listed with the acknowledged sha256, which is the image's, and
  // the stored bytes are the uploaded ones.
  auto releases = admin_get(server, "/api/admin/releases");
  ASSERT_TRUE(releases.is_object());
  std::map<std::string, std::string> sha_by_version;
  for (const auto& r : releases.at("releases").as_array()) {
    sha_by_version[std::string(r.at("version").as_string())] = std::string(r.at("sha256").as_string());
  }
  EXPECT_EQ(sha_by_version.size(), uploads.size() + 1);
  EXPECT_EQ(sha_by_version[kBaseVersion], sha256_hex(base_bytes));
  auto client = server.client();
  for (const auto& u : uploads) {
    if (u.status != 200) continue;
    const std::string bytes = as_string(u.image);
    EXPECT_EQ(u.sha256, sha256_hex(bytes)) << u.version;
    EXPECT_EQ(sha_by_version[u.version], u.sha256) << u.version;
    auto res = client.Get("/api/firmware/" + u.filename, bearer(server.admin_key()));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << u.version;
    EXPECT_TRUE(res->body == bytes) << "stored firmware " << u.version << " differs from the upload";
  }

  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json_of(health->body).at("status"), "ok");
  for (const auto& line : error_lines(server.log())) ADD_FAILURE() << "server log: " << line;
}

}  // namespace
}  // namespace apiota::testing
