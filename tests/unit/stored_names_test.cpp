// The domain's enumerations in SQLite (store/column_values.h): written
// as the names earlier versions stored, byte for byte, and a name this binary
// does not know read as the safe value its enumeration's header names.

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "support/fleet_records.h"

namespace apiota::store::sqlite {
namespace {

namespace fs = std::filesystem;
using domain::AttemptEnd;
using domain::Channel;
using domain::OtaStatus;

class StoredNames : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("apiota-names-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    store_.emplace((dir_ / "apiota.db").string());
    store_->upsert_project({"p", "P", domain::Plan{}, 1});
    DeviceRecord d;
    d.device_id = "dev";
    d.project_id = "p";
    d.channel = Channel::Beta;
    device_row_ = store_->register_device(d, 10).device.row_id;
    release_.project_id = "p";
    release_.version = "2.0.0";
    release_.channel = Channel::Dev;
    release_.filename = "fw-2.0.0-dev.bin";
    EXPECT_TRUE(store_->insert_release(release_, testing::upload_audit));
    conn_.emplace((dir_ / "apiota.db").string());
  }
  void TearDown() override {
    conn_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  AttemptRecord attempt(OtaStatus status, std::optional<AttemptEnd> outcome) const {
    return {0, "p", device_row_, "dev", release_.id, "1.0.0", "2.0.0", status, 10, 10, outcome,
            outcome ? std::optional<std::int64_t>(10) : std::nullopt};
  }

  // The stored text of every row of `sql`'s first column.
  std::vector<std::string> texts(const std::string& sql) {
    auto stmt = conn_->prepare(sql);
    std::vector<std::string> out;
    while (stmt.step()) out.push_back(stmt.text(0));
    return out;
  }

  fs::path dir_;
  std::optional<SqliteStore> store_;
  std::optional<Connection> conn_;
  std::int64_t device_row_ = 0;
  ReleaseRecord release_;
};

TEST_F(StoredNames, EnumerationsAreStoredByTheirNames) {
  store_->set_pin({"p", domain::PinScope::Tag, "lab", "2.0.0", 1});
  store_->set_pin({"p", domain::PinScope::Device, "dev", "2.0.0", 1});
  OtaLogRecord log{0, "dev", "p", OtaStatus::Rebooting, "1.0.0", "2.0.0", std::nullopt, 10};
  store_->append_ota_log(log, std::nullopt, {10, std::nullopt, std::nullopt, std::nullopt,
                                             attempt(OtaStatus::Downloading, std::nullopt)});
  const std::int64_t open_id = store_->find_device("dev")->open_attempt->id;
  store_->apply_attempt_write({11, open_id, std::nullopt, OtaStatus::Flashing, std::nullopt});
  EXPECT_EQ(texts("SELECT status || '/' || outcome FROM update_attempts"), std::vector<std::string>{"flashing/"})
      << "an open attempt's outcome is stored as ''";
  ASSERT_TRUE(store_->apply_attempt_write({12, open_id, AttemptEnd::RolledBack, std::nullopt, std::nullopt}));
  ASSERT_TRUE(store_->apply_attempt_write({13, std::nullopt, std::nullopt, std::nullopt,
                                           attempt(OtaStatus::Done, AttemptEnd::Succeeded)}));
  ASSERT_TRUE(store_->set_device_channel("p", "dev", Channel::Stable));

  EXPECT_EQ(texts("SELECT channel FROM devices"), std::vector<std::string>{"stable"});
  EXPECT_EQ(texts("SELECT channel FROM releases"), std::vector<std::string>{"dev"});
  EXPECT_EQ(texts("SELECT scope FROM pins ORDER BY scope"), (std::vector<std::string>{"device", "tag"}));
  EXPECT_EQ(texts("SELECT status FROM ota_logs"), std::vector<std::string>{"rebooting"});
  EXPECT_EQ(texts("SELECT status || '/' || outcome FROM update_attempts ORDER BY id"),
            (std::vector<std::string>{"flashing/rolled_back", "done/succeeded"}));
}

TEST_F(StoredNames, UnknownNamesReadAsTheirSafeValues) {
  store_->append_ota_log({0, "dev", "p", OtaStatus::Checking, std::nullopt, std::nullopt, std::nullopt, 10},
                         std::nullopt, {10, std::nullopt, std::nullopt, std::nullopt,
                                        attempt(OtaStatus::Downloading, std::nullopt)});
  ASSERT_TRUE(store_->apply_attempt_write({12, std::nullopt, std::nullopt, std::nullopt,
                                           attempt(OtaStatus::Failed, AttemptEnd::Failed)}));
  conn_->exec("UPDATE devices SET channel = 'nightly'");
  conn_->exec("UPDATE releases SET channel = 'nightly'");
  conn_->exec("UPDATE ota_logs SET status = 'exploding'");
  conn_->exec("UPDATE update_attempts SET status = 'exploding' WHERE outcome = ''");
  conn_->exec("UPDATE update_attempts SET outcome = 'vanished' WHERE outcome = 'failed'");

  auto device = store_->find_device("dev");
  ASSERT_TRUE(device);
  EXPECT_EQ(device->channel, Channel::Stable) << "offered stable releases only";
  ASSERT_TRUE(device->open_attempt);
  EXPECT_EQ(device->open_attempt->status, OtaStatus::Pending) << "never counted stuck";
  EXPECT_EQ(device->open_attempt->outcome, std::nullopt);
  auto release = store_->find_release("p", release_.id);
  ASSERT_TRUE(release);
  EXPECT_EQ(release->channel, Channel::Dev) << "offered to dev devices only";
  EXPECT_EQ(store_->list_ota_logs("dev", 10).at(0).status, OtaStatus::Pending);
  EXPECT_TRUE(store_->recent_attempt_outcomes(release_.id, 0, 10).empty())
      << "an unknown outcome reads as superseded: neither a success nor a failure";
}

}  // namespace
}  // namespace apiota::store::sqlite
