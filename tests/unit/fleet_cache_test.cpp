// FleetCache's coherence (service/fleet_cache.h) over each real store (SQLite
// in a temp folder, PostgreSQL on the tests' own server), on a fake clock:
// this process's changes apply at the next sync; another process's (a second
// store on the same data, as the CLI or another node opens one) once the
// re-check interval has passed, and not before; a load that raced with a drop
// is not inserted; each change drops what it affects and only that; only
// settled devices are cached. The one real-time wait is for another store's
// change to reach this one's data_version() (PostgreSQL's notification
// arrives on a thread of its own).

#include "service/fleet_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/fake_env.h"
#include "support/fleet_records.h"
#include "support/polling.h"
#include "support/store_factories.h"

namespace apiota::service {
namespace {

using namespace std::chrono_literals;
class FleetCacheTest : public ::testing::TestWithParam<testing::StoreBackend> {
 protected:
  FleetCacheTest() : store_(GetParam().open(folder_.path())), cache_(*store_, env_) {
    store_->upsert_project({"p", "P", domain::Plan{}, 1});
    auto release = testing::release_record("p", "1.0.0");
    EXPECT_TRUE(store_->insert_release(release, testing::upload_audit));
    release_id_ = release.id;
    EXPECT_EQ(store_->register_device(testing::device_record("p", "dev"), 100).outcome,
              store::RegisterOutcome::Created);
    cache_.sync();
  }

  // Another process's store on the same data.
  std::unique_ptr<store::Store> another_store() { return GetParam().open(folder_.path()); }

  // Waits (real time) until a change made elsewhere reached this store's
  // data_version(), which was `before`.
  void await_change_since(std::uint64_t before) {
    ASSERT_TRUE(testing::eventually([&] { return store_->data_version() != before; }, 5s))
        << "another store's change never reached this one";
  }

  // Waits (real time) until this store's generations are `other`'s: every
  // change `other` made has reached this one.
  void await_changes_of(store::Store& other) {
    ASSERT_TRUE(testing::eventually([&] { return store_->cache_generations() == other.cache_generations(); }, 5s))
        << "another store's changes never reached this one";
  }

  // Loads the project's catalog and the device as check-update would.
  void fill() {
    cache_.sync();
    ASSERT_TRUE(cache_.load_catalog("p"));
    const std::uint64_t epoch = cache_.device_epoch("dev");
    auto device = store_->find_device("dev");
    ASSERT_TRUE(device);
    cache_.offer_device(*device, !store_->device_tags("dev").empty(), epoch);
    ASSERT_TRUE(cache_.find_catalog("p"));
    ASSERT_TRUE(cache_.find_device("dev"));
  }

  std::size_t cached_releases() {
    auto catalog = cache_.find_catalog("p");
    return catalog ? catalog->records.size() : 0;
  }

  testing::TempFolder folder_{"apiota-fleet-cache"};
  testing::FakeEnv env_;
  std::unique_ptr<store::Store> store_;
  FleetCache cache_;
  std::int64_t release_id_ = 0;
};

TEST_P(FleetCacheTest, AChangeThisProcessMadeIsSeenAtTheNextSync) {
  fill();
  auto release = testing::release_record("p", "1.1.0");
  ASSERT_TRUE(store_->insert_release(release, testing::upload_audit));
  EXPECT_EQ(cached_releases(), 1u) << "find_*() never read the store";
  cache_.sync();  // no time has passed
  EXPECT_FALSE(cache_.find_catalog("p"));
  ASSERT_TRUE(cache_.load_catalog("p"));
  EXPECT_EQ(cached_releases(), 2u);

  ASSERT_TRUE(store_->set_device_channel("p", "dev", domain::Channel::Beta));
  cache_.sync();
  EXPECT_FALSE(cache_.find_device("dev"));
}

TEST_P(FleetCacheTest, AnotherProcessesChangeIsSeenOnceTheRecheckIntervalHasPassed) {
  auto cli = another_store();  // what `apiota releases ...` opens while the server runs
  fill();
  auto release = testing::release_record("p", "1.1.0");
  ASSERT_TRUE(cli->insert_release(release, testing::upload_audit));
  ASSERT_TRUE(cli->set_device_blocked("p", "dev", true, "lost"));
  await_changes_of(*cli);

  cache_.sync();
  EXPECT_EQ(cached_releases(), 1u) << "checked for other processes' commits before the interval passed";
  env_.advance(kRecheckInterval - 1ms);
  cache_.sync();
  EXPECT_EQ(cached_releases(), 1u);
  EXPECT_TRUE(cache_.find_device("dev"));

  env_.advance(1ms);
  cache_.sync();
  EXPECT_FALSE(cache_.find_catalog("p")) << "another process's release is not seen after kRecheckInterval";
  EXPECT_FALSE(cache_.find_device("dev")) << "another process's block is not seen after kRecheckInterval";
  fill();
  EXPECT_EQ(cached_releases(), 2u);
  EXPECT_TRUE(cache_.find_device("dev")->blocked);
}

TEST_P(FleetCacheTest, ALoadThatRacedWithADropIsNotInserted) {
  fill();
  // A load reads the device, then the device changes and the cache drops it,
  // then the load offers what it read: that copy is stale.
  std::uint64_t epoch = cache_.device_epoch("dev");
  auto read = store_->find_device("dev");
  ASSERT_TRUE(store_->set_device_channel("p", "dev", domain::Channel::Beta));
  cache_.sync();
  cache_.offer_device(*read, false, epoch);
  EXPECT_FALSE(cache_.find_device("dev")) << "a load that raced with a drop was inserted";

  // The same race with a drop of this one device (after its attempts changed).
  epoch = cache_.device_epoch("dev");
  read = store_->find_device("dev");
  cache_.forget_device("dev");
  cache_.offer_device(*read, false, epoch);
  EXPECT_FALSE(cache_.find_device("dev"));

  // A load that started after the drop is inserted.
  epoch = cache_.device_epoch("dev");
  read = store_->find_device("dev");
  cache_.offer_device(*read, false, epoch);
  ASSERT_TRUE(cache_.find_device("dev"));
  EXPECT_EQ(cache_.find_device("dev")->channel, domain::Channel::Beta);
}

TEST_P(FleetCacheTest, CatalogChangesDropTheCatalogsAndKeepTheDevices) {
  const std::vector<std::pair<std::string, std::function<void()>>> changes = {
      {"a new release",
       [&] {
         auto release = testing::release_record("p", "1.1.0");
         ASSERT_TRUE(store_->insert_release(release, testing::upload_audit));
       }},
      {"a release paused",
       [&] {
         auto release = store_->find_release("p", release_id_);
         release->state = domain::ReleaseState::Paused;
         ASSERT_TRUE(store_->update_release(*release, {0, "p", "apiota", "release.pause", "release:1", "", "", 2}));
       }},
      {"a pin set", [&] { store_->set_pin({"p", domain::PinScope::Device, "dev", "1.0.0", 3}); }},
      {"a pin cleared", [&] { ASSERT_TRUE(store_->clear_pin("p", domain::PinScope::Device, "dev")); }},
      {"a plan change",
       [&] {
         domain::Plan plan;
         plan.max_devices = 7;
         store_->upsert_project({"p", "P", plan, 1});
       }},
  };
  for (const auto& [name, change] : changes) {
    fill();
    change();
    cache_.sync();
    EXPECT_FALSE(cache_.find_catalog("p")) << name << " did not drop the catalog";
    EXPECT_TRUE(cache_.find_device("dev")) << name << " dropped the devices";
  }
  fill();
  EXPECT_EQ(cache_.find_catalog("p")->project.plan.max_devices, 7);
}

TEST_P(FleetCacheTest, DeviceChangesDropTheDevicesAndKeepTheCatalogs) {
  ASSERT_EQ(store_->register_device(testing::device_record("p", "tagged"), 100).outcome,
            store::RegisterOutcome::Created);
  auto other = GetParam().raw(folder_.path());
  const std::vector<std::pair<std::string, std::function<void()>>> changes = {
      {"a channel change", [&] { ASSERT_TRUE(store_->set_device_channel("p", "dev", domain::Channel::Beta)); }},
      {"a block", [&] { ASSERT_TRUE(store_->set_device_blocked("p", "dev", true, "lost")); }},
      {"an unblock", [&] { ASSERT_TRUE(store_->set_device_blocked("p", "dev", false, "")); }},
      // A device with tags is never cached, but the decision reads them:
      // tagging another device drops them all the same.
      {"tags set",
       [&] {
         const std::vector<std::string> tags = {"lab"};
         store_->set_device_tags("tagged", tags);
       }},
      {"tags cleared", [&] { store_->set_device_tags("tagged", {}); }},
      // No Store call changes a secret: only another process can (by hand).
      {"a new secret",
       [&] {
         const std::uint64_t before = store_->data_version();
         other->exec("UPDATE devices SET secret_hash = '" + std::string(64, 'f') + "' WHERE device_id = 'dev'");
         await_change_since(before);
         env_.advance(kRecheckInterval);
       }},
  };
  for (const auto& [name, change] : changes) {
    fill();
    change();
    cache_.sync();
    EXPECT_FALSE(cache_.find_device("dev")) << name << " did not drop the device";
    EXPECT_TRUE(cache_.find_catalog("p")) << name << " dropped the catalogs";
  }
  fill();
  EXPECT_EQ(cache_.find_device("dev")->hash(), std::string(64, 'f'));
}

TEST_P(FleetCacheTest, OnlySettledDevicesAreCached) {
  cache_.offer_device(*store_->find_device("dev"), true, cache_.device_epoch("dev"));
  EXPECT_FALSE(cache_.find_device("dev")) << "a device with tags was cached";

  store::AttemptRecord attempt;
  attempt.project_id = "p";
  attempt.device_row_id = store_->find_device("dev")->row_id;
  attempt.device_id = "dev";
  attempt.release_id = release_id_;
  attempt.target_version = "1.0.0";
  attempt.status = domain::OtaStatus::Downloading;
  ASSERT_TRUE(store_->apply_attempt_write({5, std::nullopt, std::nullopt, std::nullopt, attempt}));
  auto open = store_->find_device("dev");
  ASSERT_TRUE(open->open_attempt);
  cache_.offer_device(*open, false, cache_.device_epoch("dev"));
  EXPECT_FALSE(cache_.find_device("dev")) << "a device with an open attempt was cached";

  ASSERT_TRUE(store_->apply_attempt_write(
      {6, open->open_attempt->id, domain::AttemptEnd::RolledBack, std::nullopt, std::nullopt}));
  auto rolled_back = store_->find_device("dev");
  ASSERT_FALSE(rolled_back->open_attempt);
  ASSERT_FALSE(rolled_back->rolled_back_release_ids.empty());
  cache_.offer_device(*rolled_back, false, cache_.device_epoch("dev"));
  EXPECT_FALSE(cache_.find_device("dev")) << "a device that refused a release was cached";

  auto odd_salt = testing::device_record("p", "odd");
  odd_salt.secret_salt = "short";
  cache_.offer_device(odd_salt, false, cache_.device_epoch("odd"));
  EXPECT_FALSE(cache_.find_device("odd"));

  auto settled = testing::device_record("p", "settled");
  settled.row_id = 42;
  settled.blocked = true;
  cache_.offer_device(settled, false, cache_.device_epoch("settled"));
  auto entry = cache_.find_device("settled");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->row_id, 42);
  EXPECT_EQ(entry->project_id, "p");
  EXPECT_TRUE(entry->blocked);
  EXPECT_EQ(entry->salt(), settled.secret_salt);
  EXPECT_EQ(entry->hash(), settled.secret_hash);
}

INSTANTIATE_TEST_SUITE_P(Stores, FleetCacheTest,
                         ::testing::Values(testing::sqlite_backend(), testing::postgres_backend()), testing::backend_name);

}  // namespace
}  // namespace apiota::service
