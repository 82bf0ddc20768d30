#include "service/seen_recorder.h"

#include <gtest/gtest.h>

#include "support/fleet_records.h"
#include "support/store_factories.h"

namespace apiota::service {
namespace {

// On each real store: SQLite in a temp folder, PostgreSQL on the tests' own server.
class SeenRecorderTest : public ::testing::TestWithParam<testing::StoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    store_->upsert_project({"default", "Default", domain::Plan{}, 1});
    store::DeviceRecord d;
    d.device_id = "dev";
    d.project_id = "default";
    d.registered_at = 1;
    row_ = store_->register_device(d, 10).device.row_id;
  }
  void TearDown() override { store_.reset(); }
  testing::TempFolder dir_{"apiota-seen"};
  std::unique_ptr<store::Store> store_;
  std::int64_t row_ = 0;
};

TEST_P(SeenRecorderTest, KeepsOnlyTheNewestObservationUntilFlushed) {
  SeenRecorder recorder(*store_, std::chrono::hours(1));
  recorder.record({row_, "1.0.1", 100, "a"});
  recorder.record({row_, "1.0.3", 300, "c"});
  recorder.record({row_, "1.0.2", 200, "b"});
  EXPECT_FALSE(store_->find_device("dev")->last_seen_at);
  EXPECT_EQ(recorder.flush(), 1u);
  auto dev = store_->find_device("dev");
  EXPECT_EQ(dev->firmware_version, "1.0.3");
  EXPECT_EQ(dev->last_seen_at, 300);
  EXPECT_EQ(dev->last_address, "c");
  EXPECT_EQ(recorder.flush(), 0u);
}

TEST_P(SeenRecorderTest, StopFlushesPendingObservations) {
  {
    SeenRecorder recorder(*store_, std::chrono::hours(1));
    recorder.record({row_, "2.0.0", 500, "x"});
    recorder.stop();
  }
  EXPECT_EQ(store_->find_device("dev")->firmware_version, "2.0.0");
}

TEST_P(SeenRecorderTest, BackgroundThreadFlushesWithinTheInterval) {
  SeenRecorder recorder(*store_, std::chrono::milliseconds(20));
  recorder.record({row_, "3.0.0", 700, "y"});
  for (int i = 0; i < 200 && store_->find_device("dev")->firmware_version != "3.0.0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(store_->find_device("dev")->firmware_version, "3.0.0");
}

INSTANTIATE_TEST_SUITE_P(Stores, SeenRecorderTest,
                         ::testing::Values(testing::sqlite_backend(), testing::postgres_backend()), testing::backend_name);

}  // namespace
}  // namespace apiota::service
