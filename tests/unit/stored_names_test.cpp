// The domain's enumerations in each store (store/column_values.h; SQLite, and
// PostgreSQL on the tests' own server): written as the names earlier versions
// stored, byte for byte, and a name this binary does not know read as the
// safe value its enumeration's header names.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "support/fleet_records.h"
#include "support/store_factories.h"

namespace apiota::store {
namespace {

using domain::AttemptEnd;
using domain::Channel;
using domain::OtaStatus;

class StoredNames : public ::testing::TestWithParam<testing::StoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
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
    raw_ = GetParam().raw(dir_.path());
  }

  AttemptRecord attempt(OtaStatus status, std::optional<AttemptEnd> outcome) const {
    return {0, "p", device_row_, "dev", release_.id, "1.0.0", "2.0.0", status, 10, 10, outcome,
            outcome ? std::optional<std::int64_t>(10) : std::nullopt};
  }

  // The stored text of every row of `sql`'s one column.
  std::vector<std::string> texts(const std::string& sql) { return raw_->rows(sql); }

  testing::TempFolder dir_{"apiota-names"};
  std::unique_ptr<Store> store_;
  std::unique_ptr<testing::RawSql> raw_;
  std::int64_t device_row_ = 0;
  ReleaseRecord release_;
};

TEST_P(StoredNames, EnumerationsAreStoredByTheirNames) {
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

TEST_P(StoredNames, UnknownNamesReadAsTheirSafeValues) {
  store_->append_ota_log({0, "dev", "p", OtaStatus::Checking, std::nullopt, std::nullopt, std::nullopt, 10},
                         std::nullopt, {10, std::nullopt, std::nullopt, std::nullopt,
                                        attempt(OtaStatus::Downloading, std::nullopt)});
  ASSERT_TRUE(store_->apply_attempt_write({12, std::nullopt, std::nullopt, std::nullopt,
                                           attempt(OtaStatus::Failed, AttemptEnd::Failed)}));
  raw_->exec("UPDATE devices SET channel = 'nightly'");
  raw_->exec("UPDATE releases SET channel = 'nightly'");
  raw_->exec("UPDATE ota_logs SET status = 'exploding'");
  raw_->exec("UPDATE update_attempts SET status = 'exploding' WHERE outcome = ''");
  raw_->exec("UPDATE update_attempts SET outcome = 'vanished' WHERE outcome = 'failed'");

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

INSTANTIATE_TEST_SUITE_P(Stores, StoredNames,
                         ::testing::Values(testing::sqlite_backend(), testing::postgres_backend()), testing::backend_name);

}  // namespace
}  // namespace apiota::store
