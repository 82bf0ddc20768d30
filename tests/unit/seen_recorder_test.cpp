#include "service/seen_recorder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/sqlite/sqlite_store.h"

namespace apiota::service {
namespace {

class SeenRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("apiota-seen-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    store_ = std::make_unique<store::sqlite::SqliteStore>((dir_ / "db").string());
    store_->upsert_project({"default", "Default", domain::Plan{}, 1});
    store::DeviceRecord d;
    d.device_id = "dev";
    d.project_id = "default";
    d.registered_at = 1;
    row_ = store_->register_device(d, 10).device.row_id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::int64_t row_ = 0;
};

TEST_F(SeenRecorderTest, KeepsOnlyTheNewestObservationUntilFlushed) {
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

TEST_F(SeenRecorderTest, StopFlushesPendingObservations) {
  {
    SeenRecorder recorder(*store_, std::chrono::hours(1));
    recorder.record({row_, "2.0.0", 500, "x"});
    recorder.stop();
  }
  EXPECT_EQ(store_->find_device("dev")->firmware_version, "2.0.0");
}

TEST_F(SeenRecorderTest, BackgroundThreadFlushesWithinTheInterval) {
  SeenRecorder recorder(*store_, std::chrono::milliseconds(20));
  recorder.record({row_, "3.0.0", 700, "y"});
  for (int i = 0; i < 200 && store_->find_device("dev")->firmware_version != "3.0.0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(store_->find_device("dev")->firmware_version, "3.0.0");
}

}  // namespace
}  // namespace apiota::service
