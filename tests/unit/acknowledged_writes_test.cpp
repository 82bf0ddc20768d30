// Acknowledged writes under disk faults, up to the HTTP answer. The real
// routes (http::make_api_router(), each handler run inside http::run_guarded()
// as a worker runs it) and the upload path (api::admin::FirmwareUpload driven
// as http/upload_reader.cpp drives it) over an api::Context whose store opens
// through FaultVfs and whose blob store writes through a FakeEnv: a write,
// an fsync or a full disk fails a registration, an OTA report or a firmware
// upload at every point of its commit. Each failed call is answered with the
// contract's JSON error (507 INSUFFICIENT_STORAGE for a full disk, 500
// otherwise) and leaves nothing behind (no device, log line, release, blob or
// temp file); every call answered 2xx, before or after the faults, is there
// when the store is opened afresh, as by a restarted server.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "api/admin/firmware_upload.h"
#include "api/context.h"
#include "blob/blob_store.h"
#include "crypto/keyed_hash.h"
#include "http/router.h"
#include "http/worker_call.h"
#include "service/key_issuer.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fake_env.h"
#include "support/fault_vfs.h"
#include "support/file_probes.h"
#include "support/firmware_images.h"
#include "support/fleet_records.h"

namespace apiota::http {
namespace {

using store::sqlite::SqliteStore;
using testing::FakeEnv;
using testing::FaultVfs;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kSecret = "secret-0123456789abcdef";

crypto::ServerKey test_key() {
  crypto::ServerKey key{};
  key.fill(0x3c);
  return key;
}

// The error code of a contract error body, checked for its shape; "" when
// the body is not one.
std::string error_of(const api::Response& res) {
  boost::system::error_code ec;
  auto body = boost::json::parse(res.body, ec);
  if (ec || !body.is_object() || res.content_type != "application/json") return "";
  const auto& object = body.as_object();
  const auto* error = object.if_contains("error");
  const auto* status = object.if_contains("status");
  const auto* message = object.if_contains("message");
  if (!error || !error->is_string() || !status || !message || !message->is_string()) return "";
  if (status->to_number<unsigned>() != res.status) return "";
  return std::string(error->as_string());
}

class AcknowledgedWrites : public ::testing::Test {
 protected:
  AcknowledgedWrites() : blobs_(env_, folder_ / "blobs"), hasher_(test_key()) {
    open_context();
    admin_key_ = service::bootstrap(*store_, hasher_, domain::Plan{}).value().plaintext;
    provision_key_ =
        service::issue_key(*store_, hasher_, service::kDefaultProjectId, store::KeyRole::Provision).plaintext;
  }
  ~AcknowledgedWrites() override { close_context(); }

  std::string db_path() const { return (folder_ / "apiota.db").string(); }
  void open_context() {
    store_ = std::make_unique<SqliteStore>(db_path(), store::sqlite::SchemaPolicy::CreateIfMissing, vfs_.name());
    service::Settings settings;
    settings.rate_limit = false;  // the loops below call one device many times
    ctx_ = std::make_unique<api::Context>(*store_, blobs_, hasher_, settings, env_);
  }
  void close_context() {
    ctx_.reset();
    store_.reset();
  }
  // The server restarted: the store opened afresh on the default VFS, and a
  // blob store on the real file system.
  std::unique_ptr<SqliteStore> reopen_plainly() {
    vfs_.heal();
    env_.heal();
    close_context();
    return std::make_unique<SqliteStore>(db_path());
  }

  // A request through the router, answered as a worker answers it.
  api::Response call(const std::string& method, const std::string& path, Headers headers, std::string body) {
    std::vector<std::string> segments;
    for (std::size_t start = 1; start < path.size();) {
      const std::size_t end = std::min(path.find('/', start), path.size());
      segments.push_back(path.substr(start, end - start));
      start = end + 1;
    }
    const RouteMatch match = router_.match(method, segments);
    EXPECT_EQ(match.outcome, RouteMatch::Outcome::Found) << path;
    api::Request req;
    req.method = method;
    req.path = path;
    req.path_params = match.params;
    req.headers = std::move(headers);
    req.body = std::move(body);
    req.remote_address = "127.0.0.1";
    req.local_address = "127.0.0.1:8080";
    return run_guarded([&] { return (*match.handler)(*ctx_, req); });
  }

  api::Response register_device(const std::string& device_id) {
    return call("POST", "/api/register", {},
                boost::json::serialize(boost::json::object{{"device_id", device_id},
                                                           {"device_secret", kSecret},
                                                           {"pk_key", provision_key_},
                                                           {"firmware_ver", "1.0.0"}}));
  }

  api::Response report(const std::string& device_id, const std::string& status, const std::string& to_version) {
    return call("POST", "/api/ota-log", {{"x-device-id", device_id}, {"x-device-secret", kSecret}},
                boost::json::serialize(boost::json::object{
                    {"status", status}, {"from_version", "1.0.0"}, {"to_version", to_version}}));
  }

  // An upload as http/upload_reader.cpp drives one: authenticated on a
  // worker, fed part by part (a throw answered at once), finished on a worker.
  api::Response upload(const std::string& version, std::uint32_t seed = 1) {
    api::Request head;
    head.method = "POST";
    head.path = "/api/firmware/upload";
    head.headers = {{"authorization", "Bearer " + admin_key_}};
    head.remote_address = "127.0.0.1";
    std::unique_ptr<api::admin::FirmwareUpload> upload;
    api::Response refused = run_guarded([&] {
      upload = std::make_unique<api::admin::FirmwareUpload>(*ctx_, head, std::nullopt);
      return api::Response{};
    });
    if (!upload) return refused;
    const std::string image = testing::as_string(testing::firmware_image(version, 64 * 1024, seed));
    try {
      upload->begin_part("version", std::nullopt);
      upload->part_data(version);
      upload->end_part();
      upload->begin_part("file", "firmware.bin");
      for (std::size_t at = 0; at < image.size(); at += 16 * 1024) upload->part_data(image.substr(at, 16 * 1024));
      upload->end_part();
    } catch (const std::exception&) {
      return response_for_exception(std::current_exception());
    }
    return run_guarded([&] { return upload->finish(); });
  }

  std::size_t releases() { return store_->list_releases(std::string(service::kDefaultProjectId)).size(); }

  // The server restarted: `count` releases are stored, each with its file.
  void expect_releases_after_a_restart(std::size_t count) {
    auto reopened = reopen_plainly();
    auto stored = reopened->list_releases(std::string(service::kDefaultProjectId));
    ASSERT_EQ(stored.size(), count) << "an acknowledged upload was lost, or a refused one kept";
    blob::BlobStore fresh(folder_ / "blobs");
    for (const auto& release : stored) EXPECT_TRUE(fresh.open(release.sha256)) << release.version << "'s file was lost";
  }

  std::size_t temp_files() const { return testing::file_count(folder_ / "blobs" / "tmp"); }
  std::size_t blob_files() const { return testing::file_count(folder_ / "blobs" / "firmware"); }

  // The errors a failed call may be answered with: a full disk's, or any
  // other failure's.
  static bool is_storage_failure(const api::Response& res) {
    return (res.status == 507 && error_of(res) == "INSUFFICIENT_STORAGE") ||
           (res.status == 500 && error_of(res) == "INTERNAL_ERROR");
  }

  FaultVfs vfs_;  // outlives every store that opens through it
  testing::TempFolder folder_{"apiota-acknowledged"};
  FakeEnv env_;
  blob::BlobStore blobs_;
  crypto::KeyedHasher hasher_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<api::Context> ctx_;
  Router router_ = make_api_router();
  std::string admin_key_;
  std::string provision_key_;
};

TEST_F(AcknowledgedWrites, AFailedRegistrationIsAnswered5xxAndNotMade) {
  ASSERT_EQ(register_device("before").status, 200u);
  for (auto [code, status, error, id] : {std::tuple{SQLITE_FULL, 507u, "INSUFFICIENT_STORAGE", "on-full-disk"},
                                         std::tuple{SQLITE_IOERR_WRITE, 500u, "INTERNAL_ERROR", "on-write-error"}}) {
    int failed = 0;
    for (int after = 0;; ++after) {
      ASSERT_LT(after, 100) << "never acknowledged";
      vfs_.fail(FaultVfs::Op::Write, code, after);
      const api::Response res = register_device(id);
      vfs_.heal();
      if (res.status == 200) break;
      ++failed;
      EXPECT_EQ(res.status, status) << res.body;
      EXPECT_EQ(error_of(res), error) << res.body;
      EXPECT_FALSE(store_->find_device(id)) << "a registration answered " << res.status << " was made";
    }
    EXPECT_GE(failed, 2) << "the registration should take several writes";
  }
  // A failing fsync fails no commit (tests/unit/store_faults_test.cpp).
  vfs_.fail(FaultVfs::Op::Sync, SQLITE_IOERR_FSYNC);
  ASSERT_EQ(register_device("during-fsync-errors").status, 200u);

  auto reopened = reopen_plainly();
  for (const char* id : {"before", "on-full-disk", "on-write-error", "during-fsync-errors"}) {
    EXPECT_TRUE(reopened->find_device(id)) << id << " was acknowledged and lost";
  }
}

TEST_F(AcknowledgedWrites, AFailedOtaReportIsAnswered5xxAndLeavesNoLogLine) {
  ASSERT_EQ(upload("2.0.0").status, 200u);
  // One failure pauses the release: a failed report ends the device's attempt
  // and makes the rollout automation write the pause, both part of the call.
  auto release = store_->list_releases(std::string(service::kDefaultProjectId)).at(0);
  release.min_attempts = 1;
  release.max_failure_rate = 0;
  ASSERT_TRUE(store_->update_release(release, {0, release.project_id, "test", "test", "release", "", "", 1}));
  ASSERT_EQ(register_device("dev").status, 200u);
  ASSERT_EQ(report("dev", "downloading", "2.0.0").status, 200u);
  ASSERT_TRUE(store_->find_device("dev")->open_attempt);

  int failed = 0;
  for (int after = 0;; ++after) {
    ASSERT_LT(after, 100) << "never acknowledged";
    vfs_.fail(FaultVfs::Op::Write, SQLITE_IOERR_WRITE, after);
    const api::Response res = report("dev", "failed", "2.0.0");
    vfs_.heal();
    if (res.status == 200) break;
    ++failed;
    EXPECT_TRUE(is_storage_failure(res)) << res.status << " " << res.body;
    EXPECT_EQ(store_->list_ota_logs("dev", 10).size(), 1u) << "a report answered " << res.status
                                                            << " left a log line (failed at write " << after << ")";
    EXPECT_TRUE(store_->find_device("dev")->open_attempt) << "failed at write " << after;
  }
  EXPECT_GE(failed, 2) << "the report should take several writes";
  EXPECT_FALSE(store_->find_device("dev")->open_attempt);

  vfs_.fail(FaultVfs::Op::Write, SQLITE_FULL);
  const api::Response full = report("dev", "pending", "");
  vfs_.heal();
  EXPECT_EQ(full.status, 507u);
  EXPECT_EQ(error_of(full), "INSUFFICIENT_STORAGE");

  auto reopened = reopen_plainly();
  auto logs = reopened->list_ota_logs("dev", 10);
  ASSERT_EQ(logs.size(), 2u) << "an acknowledged report was lost, or a refused one kept";
  EXPECT_EQ(logs[0].status, domain::OtaStatus::Failed);
  EXPECT_EQ(logs[1].status, domain::OtaStatus::Downloading);
}

TEST_F(AcknowledgedWrites, AnUploadFailingInTheBlobStoreIsAnswered5xxAndLeavesNoFile) {
  ASSERT_EQ(upload("1.0.0").status, 200u);
  ASSERT_EQ(blob_files(), 1u);
  struct Fault {
    const char* what;
    std::function<void()> arm;
    unsigned status;
  };
  const std::vector<Fault> faults = {
      {"a full disk mid-file", [&] { env_.disk_full_after(20'000); }, 507},
      {"a failing write", [&] { env_.fail_always(FakeEnv::Op::Write, EIO); }, 500},
      {"a failing fsync", [&] { env_.fail_next(FakeEnv::Op::Sync, EIO); }, 500},
      {"a failing rename", [&] { env_.fail_next(FakeEnv::Op::Rename, EIO); }, 500},
      {"a temp file that cannot be created", [&] { env_.fail_next(FakeEnv::Op::CreateNewFile, ENOSPC); }, 507},
  };
  for (const auto& fault : faults) {
    fault.arm();
    const api::Response res = upload("2.0.0");
    env_.heal();
    EXPECT_EQ(res.status, fault.status) << fault.what << ": " << res.body;
    EXPECT_TRUE(is_storage_failure(res)) << fault.what << ": " << res.body;
    EXPECT_EQ(temp_files(), 0u) << fault.what << " left a temp file";
    EXPECT_EQ(blob_files(), 1u) << fault.what << " left a blob";
    EXPECT_EQ(releases(), 1u) << fault.what;
  }
  ASSERT_EQ(upload("2.0.0").status, 200u);
  expect_releases_after_a_restart(2);
}

TEST_F(AcknowledgedWrites, AnUploadWhoseReleaseCannotBeStoredIsAnswered5xx) {
  ASSERT_EQ(upload("1.0.0").status, 200u);
  for (auto [code, status] : {std::pair{SQLITE_FULL, 507u}, std::pair{SQLITE_IOERR_WRITE, 500u}}) {
    vfs_.fail(FaultVfs::Op::Write, code);
    const api::Response res = upload("2.0.0");
    vfs_.heal();
    EXPECT_EQ(res.status, status) << res.body;
    EXPECT_TRUE(is_storage_failure(res)) << res.body;
    EXPECT_EQ(releases(), 1u);
    EXPECT_EQ(temp_files(), 0u);
  }
  ASSERT_EQ(upload("2.0.0").status, 200u);
  expect_releases_after_a_restart(2);
}

// Whatever write of the store fails, an upload answered 5xx leaves neither its release nor its blob.
TEST_F(AcknowledgedWrites, AnUploadFailingAtAnyWriteOfTheStoreLeavesNothing) {
  ASSERT_EQ(upload("1.0.0").status, 200u);
  int failed = 0;
  for (int after = 0;; ++after) {
    ASSERT_LT(after, 100) << "never acknowledged";
    vfs_.fail(FaultVfs::Op::Write, after % 2 == 0 ? SQLITE_FULL : SQLITE_IOERR_WRITE, after);
    const api::Response res = upload("2.0.0");
    vfs_.heal();
    if (res.status == 200) break;
    ++failed;
    ASSERT_TRUE(is_storage_failure(res)) << res.status << " " << res.body;
    EXPECT_EQ(releases(), 1u)
        << "an upload answered " << res.status << " left its release (failed at write " << after << ")";
    EXPECT_EQ(blob_files(), 1u) << "an upload answered " << res.status << " left its blob (failed at write " << after
                                << ")";
    EXPECT_EQ(temp_files(), 0u);
  }
  EXPECT_GE(failed, 2);
}

}  // namespace
}  // namespace apiota::http
