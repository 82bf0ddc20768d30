// The Store contract of the console's lists (store/device_store.h
// DeviceQuery, ota_store.h device_attempts, project_store.h set_key_label,
// audit_store.h AuditQuery), checked against every implementation: every
// device filter and sort, both orders, against a plain reference; keyset
// paging that visits every device exactly once; capped counts; and the
// schema 9, 12 and 13 migrations of an existing database.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "support/fleet_records.h"
#include "support/store_factories.h"

namespace apiota::store {
namespace {

using testing::StoreFactory;

constexpr DeviceSort kSorts[] = {DeviceSort::DeviceId, DeviceSort::LastSeenAt, DeviceSort::RegisteredAt,
                                 DeviceSort::FirmwareVersion};

// A small fleet with every attribute varied, nulls and ties included.
struct FleetDevice {
  DeviceRecord record;
  std::vector<std::string> tags;
};

std::vector<FleetDevice> fleet() {
  const char* versions[] = {"1.0.0", "1.2.0", "2.0.0-beta.1"};
  std::vector<FleetDevice> out;
  for (int i = 0; i < 40; ++i) {
    FleetDevice d;
    d.record = testing::device_record("default", (i % 2 ? "esp-" : "lab-") + std::to_string(100 + i), 1000 + i % 7);
    d.record.firmware_version = i % 9 == 0 ? std::nullopt : std::optional<std::string>(versions[i % 3]);
    d.record.channel = i % 5 == 0 ? domain::Channel::Beta : i % 5 == 1 ? domain::Channel::Dev : domain::Channel::Stable;
    if (i % 4 != 3) d.record.last_seen_at = 50'000 + (i % 6) * 1000;  // ties on purpose; i % 4 == 3 never seen
    if (i % 3 == 0) d.tags.push_back("canary");
    if (i % 8 == 0) d.tags.push_back("site-7");
    out.push_back(std::move(d));
  }
  return out;
}

// The reference: what a query must answer, computed the plain way.
std::vector<std::string> expected(const std::vector<FleetDevice>& devices, const DeviceQuery& q) {
  std::vector<const FleetDevice*> hits;
  for (const auto& d : devices) {
    const DeviceRecord& r = d.record;
    if (!r.device_id.starts_with(q.id_prefix)) continue;
    if (q.tag && std::find(d.tags.begin(), d.tags.end(), *q.tag) == d.tags.end()) continue;
    if (q.version && r.firmware_version != q.version) continue;
    if (q.channel && r.channel != *q.channel) continue;
    if (q.blocked && r.blocked != *q.blocked) continue;
    if (q.seen_after && (!r.last_seen_at || *r.last_seen_at < *q.seen_after)) continue;
    if (q.seen_before && (!r.last_seen_at || *r.last_seen_at >= *q.seen_before)) continue;
    hits.push_back(&d);
  }
  auto key = [&](const FleetDevice* d) {
    const DeviceRecord& r = d->record;
    std::int64_t number = 0;
    std::string text;
    if (q.sort == DeviceSort::LastSeenAt) number = r.last_seen_at.value_or(-1);
    if (q.sort == DeviceSort::RegisteredAt) number = r.registered_at;
    if (q.sort == DeviceSort::FirmwareVersion) text = r.firmware_version.value_or("");
    return std::tuple(number, text, r.device_id);
  };
  std::sort(hits.begin(), hits.end(),
            [&](auto* a, auto* b) { return q.descending ? key(b) < key(a) : key(a) < key(b); });
  std::vector<std::string> ids;
  for (const auto* d : hits) ids.push_back(d->record.device_id);
  return ids;
}

std::vector<std::string> ids_of(const std::vector<DeviceRecord>& devices) {
  std::vector<std::string> ids;
  for (const auto& d : devices) ids.push_back(d.device_id);
  return ids;
}

// Runs `sql` on the database file at `path` through a connection of its own
// (as an older apiota left the file), outside any store.
void exec_on_file(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// The first column of the first row of `sql` on the file at `path`, as text
// ("" for none or NULL).
std::string text_on_file(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out;
  if (stmt && sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

class DeviceLists : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam()(dir_.path());
    store_->upsert_project({"default", "Default", domain::Plan{}, 1});
    store_->upsert_project({"other", "Other", domain::Plan{}, 1});
  }

  void add_fleet() {
    devices_ = fleet();
    for (auto& d : devices_) {
      ASSERT_EQ(store_->register_device(d.record, 1000).outcome, RegisterOutcome::Created);
      store_->set_device_tags(d.record.device_id, d.tags);
    }
    for (std::size_t i = 0; i < devices_.size(); i += 10) {
      devices_[i].record.blocked = true;
      store_->set_device_blocked("default", devices_[i].record.device_id, true, "test");
    }
    // Another project's devices never show.
    auto stranger = testing::device_record("other", "esp-stranger");
    stranger.last_seen_at = 50'000;
    store_->register_device(stranger, 10);
    std::vector<std::string> tags{"canary"};
    store_->set_device_tags("esp-stranger", tags);
  }

  void expect_listed(const DeviceQuery& base, const std::string& what) {
    for (DeviceSort sort : kSorts) {
      for (bool descending : {false, true}) {
        DeviceQuery q = base;
        q.sort = sort;
        q.descending = descending;
        q.limit = 1000;
        auto want = expected(devices_, q);
        EXPECT_EQ(ids_of(store_->list_devices(q)), want)
            << what << " sort " << static_cast<int>(sort) << (descending ? " desc" : " asc");
        EXPECT_EQ(store_->count_matching_devices(q, 1000).count, static_cast<std::int64_t>(want.size())) << what;
      }
    }
  }

  testing::TempFolder dir_{"apiota-device-lists"};
  std::unique_ptr<Store> store_;
  std::vector<FleetDevice> devices_;
};

TEST_P(DeviceLists, EveryFilterAndSortMatchesTheReference) {
  add_fleet();
  expect_listed(DeviceQuery{"default"}, "no filter");
  DeviceQuery q{"default"};
  q.id_prefix = "esp-1";
  expect_listed(q, "prefix");
  q = {"default"};
  q.id_prefix = "esp-13";
  expect_listed(q, "prefix esp-13");
  q = {"default"};
  q.tag = "canary";
  expect_listed(q, "tag");
  q = {"default"};
  q.tag = "none";
  expect_listed(q, "unknown tag");
  q = {"default"};
  q.version = "1.2.0";
  expect_listed(q, "version");
  q = {"default"};
  q.channel = domain::Channel::Beta;
  expect_listed(q, "channel");
  for (bool blocked : {true, false}) {
    q = {"default"};
    q.blocked = blocked;
    expect_listed(q, blocked ? "blocked" : "not blocked");
  }
  q = {"default"};
  q.seen_after = 52'000;
  expect_listed(q, "seen after");
  q = {"default"};
  q.seen_before = 52'000;
  expect_listed(q, "seen before");
  q = {"default"};
  q.seen_after = 0;
  expect_listed(q, "seen at all");
  q = {"default"};
  q.seen_after = 51'000;
  q.seen_before = 54'000;
  q.channel = domain::Channel::Stable;
  q.tag = "canary";
  expect_listed(q, "several filters");
}

TEST_P(DeviceLists, KeysetPagesVisitEveryDeviceOnceInOrder) {
  add_fleet();
  for (DeviceSort sort : kSorts) {
    for (bool descending : {false, true}) {
      DeviceQuery q{"default", 7};
      q.sort = sort;
      q.descending = descending;
      std::vector<std::string> seen;
      for (int pages = 0; pages < 20; ++pages) {
        auto page = store_->list_devices(q);
        auto ids = ids_of(page);
        seen.insert(seen.end(), ids.begin(), ids.end());
        if (page.size() < 7) break;
        q.after = position_of(page.back(), sort);
      }
      DeviceQuery all{"default"};
      all.sort = sort;
      all.descending = descending;
      EXPECT_EQ(seen, expected(devices_, all)) << "sort " << static_cast<int>(sort) << (descending ? " desc" : "");
    }
  }
}

// A tag alone (with an id prefix or not) reads the tag's rows in device_id
// order (store/sqlite/device_list_queries.cpp): keyset pages in both orders
// still visit each tagged device of the project once, and counts agree.
TEST_P(DeviceLists, KeysetPagesOfATagVisitEachTaggedDeviceOnce) {
  add_fleet();
  for (const std::string prefix : {"", "esp-1", "lab-"}) {
    for (bool descending : {false, true}) {
      DeviceQuery q{"default", 4};
      q.tag = "canary";
      q.id_prefix = prefix;
      q.descending = descending;
      std::vector<std::string> seen;
      for (int pages = 0; pages < 20; ++pages) {
        auto ids = ids_of(store_->list_devices(q));
        seen.insert(seen.end(), ids.begin(), ids.end());
        if (ids.size() < 4) break;
        q.after = DevicePosition{std::nullopt, std::nullopt, ids.back()};
      }
      DeviceQuery all = q;
      all.after.reset();
      const auto want = expected(devices_, all);
      ASSERT_FALSE(want.empty()) << prefix;
      EXPECT_EQ(seen, want) << "prefix '" << prefix << "'" << (descending ? " desc" : "");
      EXPECT_EQ(store_->count_matching_devices(all, 1000).count, static_cast<std::int64_t>(want.size())) << prefix;
      EXPECT_FALSE(store_->count_matching_devices(all, static_cast<std::int64_t>(want.size()) - 1).exact) << prefix;
    }
  }
  EXPECT_EQ(store_->device_ids_with_tag("other", "canary"), (std::vector<std::string>{"esp-stranger"}));
}

TEST_P(DeviceLists, OffsetPagingStillWorks) {
  add_fleet();
  auto all = expected(devices_, DeviceQuery{"default"});
  auto page = ids_of(store_->list_devices({"default", 5, 10}));
  EXPECT_EQ(page, std::vector<std::string>(all.begin() + 10, all.begin() + 15));
}

TEST_P(DeviceLists, CountsStopAtTheCap) {
  add_fleet();
  DeviceQuery q{"default"};
  q.channel = domain::Channel::Stable;
  const auto want = static_cast<std::int64_t>(expected(devices_, q).size());
  auto exact = store_->count_matching_devices(q, want);
  EXPECT_EQ(exact.count, want);
  EXPECT_TRUE(exact.exact);
  auto capped = store_->count_matching_devices(q, want - 1);
  EXPECT_EQ(capped.count, want - 1);
  EXPECT_FALSE(capped.exact);
}

// Past ten thousand devices in a last-seen range the list reads the sort's
// index instead of sorting the range: the answer must not change.
TEST_P(DeviceLists, ALargeLastSeenRangeListsTheSame) {
  std::vector<DeviceRecord> many;
  for (int i = 0; i < 10'300; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "bulk-%05d", (i * 7919) % 10'300);
    many.push_back(testing::device_record("default", id, 1000 + i % 100));
  }
  ASSERT_TRUE(store_->import_devices(many, 20'000).within_plan);
  std::vector<SeenUpdate> seen;
  for (int i = 0; i < 10'300; ++i) {
    if (i % 100 != 0) seen.push_back({i + 1, "1.0.0", 100'000 + i, "10.0.0.1"});
  }
  store_->record_seen(seen);
  DeviceQuery q{"default", 20};
  q.seen_after = 100'000;
  q.after = DevicePosition{std::nullopt, std::nullopt, "bulk-05000"};
  auto page = store_->list_devices(q);
  ASSERT_EQ(page.size(), 20u);
  EXPECT_GT(page.front().device_id, "bulk-05000");
  for (std::size_t i = 1; i < page.size(); ++i) EXPECT_LT(page[i - 1].device_id, page[i].device_id);
  for (const auto& d : page) EXPECT_TRUE(d.last_seen_at.has_value()) << d.device_id;
  EXPECT_FALSE(store_->count_matching_devices(q, 10'000).exact);
  q.seen_before = 100'100;
  EXPECT_EQ(store_->count_matching_devices(q, 10'000).count, 99);
}

TEST_P(DeviceLists, AttemptsOfADeviceAreNewestFirst) {
  auto dev = store_->register_device(testing::device_record("default", "a"), 10).device;
  store_->register_device(testing::device_record("default", "b"), 10);
  auto r = testing::release_record("default", "1.1.0");
  ASSERT_TRUE(store_->insert_release(r, testing::upload_audit));
  for (int i = 0; i < 3; ++i) {
    AttemptRecord a{0,       "default", dev.row_id,   "a", r.id, "1.0.0", "1.1.0", domain::OtaStatus::Flashing,
                    100 + i, 100 + i,   std::nullopt, {}};
    if (i < 2) {
      a.outcome = domain::AttemptEnd::Failed;
      a.ended_at = 150 + i;
    }
    store_->apply_attempt_write(AttemptWrite{100 + i, std::nullopt, std::nullopt, std::nullopt, a});
  }
  auto attempts = store_->device_attempts("a", 10);
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].started_at, 102);
  EXPECT_FALSE(attempts[0].outcome);
  EXPECT_EQ(attempts[2].started_at, 100);
  EXPECT_EQ(attempts[2].outcome, domain::AttemptEnd::Failed);
  EXPECT_EQ(store_->device_attempts("a", 2).size(), 2u);
  EXPECT_TRUE(store_->device_attempts("b", 10).empty());
  EXPECT_TRUE(store_->device_attempts("nobody", 10).empty());
}

TEST_P(DeviceLists, KeyLabelsChange) {
  store_->insert_key({"key_1", "default", KeyRole::Admin, "hash1", "pk_live_ab...", 10, std::nullopt, "old"});
  EXPECT_TRUE(store_->set_key_label("key_1", "new label"));
  EXPECT_EQ(store_->find_key_by_hash("hash1")->label, "new label");
  EXPECT_TRUE(store_->set_key_label("key_1", ""));
  EXPECT_EQ(store_->find_key_by_hash("hash1")->label, "");
  EXPECT_FALSE(store_->set_key_label("key_missing", "x"));
}

TEST_P(DeviceLists, AuditFiltersCombineAndPageById) {
  store_->insert_key({"key_1", "default", KeyRole::Admin, "hash1", "pk_live_ab...", 10, std::nullopt, "ops"});
  const char* actions[] = {"device.block", "release.pause", "key.create"};
  for (int i = 0; i < 12; ++i) {
    store_->append_audit({0, "default", i % 2 ? "key_1" : "apiota", actions[i % 3], "device:d" + std::to_string(i % 4),
                          "{}", "{}", 1000 + i * 10});
  }
  store_->append_audit({0, "other", "key_1", "device.block", "device:d0", "{}", "{}", 1000});
  auto subjects = [](const std::vector<AuditRecord>& entries) {
    std::vector<std::int64_t> at;
    for (const auto& e : entries) at.push_back(e.at);
    return at;
  };
  AuditQuery q{"default", 100};
  EXPECT_EQ(store_->find_audit(q).size(), 12u);
  q.action = "device.block";
  EXPECT_EQ(subjects(store_->find_audit(q)), (std::vector<std::int64_t>{1090, 1060, 1030, 1000}));
  q.actor = "key_1";
  EXPECT_EQ(subjects(store_->find_audit(q)), (std::vector<std::int64_t>{1090, 1030}));
  EXPECT_EQ(store_->find_audit(q).front().actor_label, "ops");
  q = {"default", 100};
  q.subject = "device:d1";
  EXPECT_EQ(subjects(store_->find_audit(q)), (std::vector<std::int64_t>{1090, 1050, 1010}));
  q = {"default", 100};
  q.since = 1030;
  q.until = 1060;
  EXPECT_EQ(subjects(store_->find_audit(q)), (std::vector<std::int64_t>{1050, 1040, 1030}));
  q = {"default", 5};
  auto first = store_->find_audit(q);
  ASSERT_EQ(first.size(), 5u);
  q.before_id = first.back().id;
  auto second = store_->find_audit(q);
  ASSERT_EQ(second.size(), 5u);
  EXPECT_EQ(second.front().at, first.back().at - 10);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DeviceLists, ::testing::Values(testing::sqlite_store()));
INSTANTIATE_TEST_SUITE_P(Postgres, DeviceLists, ::testing::Values(testing::postgres_store()));

// A database of schema 8 gets the columns and indexes of schema 9 when
// opened, and its devices list by every sort.
TEST(DeviceListsMigration, ASchema8DatabaseGetsTheListIndexes) {
  testing::TempFolder dir("apiota-schema-9");
  const std::string path = (dir.path() / "apiota.db").string();
  {
    sqlite::SqliteStore store(path);
    store.upsert_project({"default", "Default", domain::Plan{}, 1});
    auto d = testing::device_record("default", "old-1");
    d.last_seen_at = 5;
    store.register_device(d, 10);
    store.register_device(testing::device_record("default", "old-2"), 10);
  }
  exec_on_file(path,
      "DROP INDEX devices_by_last_seen; DROP INDEX devices_by_registered; DROP INDEX devices_by_version; "
      "DROP INDEX devices_by_channel; DROP INDEX devices_blocked; DROP INDEX device_tags_by_tag; "
      "DROP INDEX update_attempts_by_device_newest; DROP INDEX audit_log_by_action; "
      "DROP INDEX audit_log_by_actor; DROP INDEX audit_log_by_subject; "
      "ALTER TABLE devices DROP COLUMN last_seen_key; ALTER TABLE devices DROP COLUMN version_key; "
      "PRAGMA user_version = 8;");

  sqlite::SqliteStore store(path);
  DeviceQuery q{"default"};
  q.sort = DeviceSort::LastSeenAt;
  q.descending = true;
  EXPECT_EQ(ids_of(store.list_devices(q)), (std::vector<std::string>{"old-1", "old-2"}));

  EXPECT_EQ(text_on_file(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                               "('devices_by_last_seen', 'devices_by_version', 'audit_log_by_subject')"),
            "3");
}

// A database of schema 12 (tag rows without their project, the index on
// (tag, device_id)) gets each tag row's project when opened: tag lists and
// counts stay per project, a tag row of a device that does not exist is
// listed nowhere, and new tags carry their project too.
TEST(DeviceListsMigration, ASchema12DatabaseGetsTheProjectOfEachTagRow) {
  testing::TempFolder dir("apiota-schema-13");
  const std::string path = (dir.path() / "apiota.db").string();
  const std::vector<std::string> canary{"canary"};
  {
    sqlite::SqliteStore store(path);
    store.upsert_project({"default", "Default", domain::Plan{}, 1});
    store.upsert_project({"other", "Other", domain::Plan{}, 1});
    for (const char* id : {"a-1", "a-2", "a-3"}) store.register_device(testing::device_record("default", id), 10);
    store.register_device(testing::device_record("other", "b-1"), 10);
    for (const char* id : {"a-1", "a-3", "b-1"}) store.set_device_tags(id, canary);
  }
  exec_on_file(path,
               "DROP INDEX device_tags_by_tag; ALTER TABLE device_tags DROP COLUMN project_id; "
               "CREATE INDEX device_tags_by_tag ON device_tags(tag, device_id); "
               "INSERT INTO device_tags VALUES ('gone', 'canary'); PRAGMA user_version = 12;");

  sqlite::SqliteStore store(path);
  store.set_device_tags("a-2", canary);
  DeviceQuery q{"default"};
  q.tag = "canary";
  EXPECT_EQ(ids_of(store.list_devices(q)), (std::vector<std::string>{"a-1", "a-2", "a-3"}));
  EXPECT_EQ(store.count_matching_devices(q, 100).count, 3);
  q.descending = true;
  q.after = DevicePosition{std::nullopt, std::nullopt, "a-3"};
  EXPECT_EQ(ids_of(store.list_devices(q)), (std::vector<std::string>{"a-2", "a-1"}));
  EXPECT_EQ(store.device_ids_with_tag("default", "canary"), (std::vector<std::string>{"a-1", "a-2", "a-3"}));
  EXPECT_EQ(store.device_ids_with_tag("other", "canary"), (std::vector<std::string>{"b-1"}));
  DeviceQuery other{"other"};
  other.tag = "canary";
  EXPECT_EQ(store.count_matching_devices(other, 100).count, 1);

  EXPECT_EQ(text_on_file(path, "SELECT group_concat(device_id || ':' || project_id, ' ') FROM "
                               "(SELECT device_id, project_id FROM device_tags ORDER BY device_id)"),
            "a-1:default a-2:default a-3:default b-1:other gone:");
  EXPECT_EQ(text_on_file(path, "SELECT sql FROM sqlite_master WHERE name = 'device_tags_by_tag'"),
            "CREATE INDEX device_tags_by_tag ON device_tags(project_id, tag, device_id)");
}

// A database of schema 13 (an index over every device's blocked flag, and
// devices_audience beside the channel index) is brought to 14: the two go,
// as each index costs every registration a written page; the channel index
// carries the flag, the version index channel and flag, and blocked devices
// get a partial index. Audience counts,
// the blocked count and the blocked filter answer as before.
TEST(DeviceListsMigration, ASchema13DatabaseKeepsItsAnswersWithFewerDeviceIndexes) {
  testing::TempFolder dir("apiota-schema-14");
  const std::string path = (dir.path() / "apiota.db").string();
  {
    sqlite::SqliteStore store(path);
    store.upsert_project({"default", "Default", domain::Plan{}, 1});
    for (int i = 0; i < 6; ++i) {
      auto d = testing::device_record("default", "d-" + std::to_string(i));
      d.channel = i % 2 ? domain::Channel::Beta : domain::Channel::Stable;
      store.register_device(d, 10);
    }
    store.set_device_blocked("default", "d-1", true, "test");
    store.set_device_blocked("default", "d-2", true, "test");
  }
  exec_on_file(path,
               "DROP INDEX devices_by_channel; DROP INDEX devices_blocked; "
               "CREATE INDEX devices_by_channel ON devices(project_id, channel, device_id); "
               "CREATE INDEX devices_by_blocked ON devices(project_id, blocked, device_id); "
               "CREATE INDEX devices_audience ON devices(project_id, blocked, channel, device_id); "
               "DROP INDEX devices_by_version; "
               "CREATE INDEX devices_by_version ON devices(project_id, version_key, device_id); "
               "PRAGMA user_version = 13;");

  sqlite::SqliteStore store(path);
  const domain::Channel stable[] = {domain::Channel::Stable};
  const domain::Channel both[] = {domain::Channel::Stable, domain::Channel::Beta};
  EXPECT_EQ(store.count_unblocked_devices("default", stable, {}), 2);  // d-0, d-4 (d-2 blocked)
  EXPECT_EQ(store.count_unblocked_devices("default", both, {}), 4);
  EXPECT_EQ(store.fleet_counts("default", 0, 0).blocked, 2);
  DeviceQuery q{"default"};
  q.blocked = true;
  EXPECT_EQ(ids_of(store.list_devices(q)), (std::vector<std::string>{"d-1", "d-2"}));
  q.blocked = false;
  EXPECT_EQ(ids_of(store.list_devices(q)), (std::vector<std::string>{"d-0", "d-3", "d-4", "d-5"}));

  EXPECT_EQ(text_on_file(path, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
                               "WHERE type = 'index' AND tbl_name = 'devices' ORDER BY name)"),
            "devices_blocked devices_by_channel devices_by_last_seen devices_by_project devices_by_registered "
            "devices_by_version sqlite_autoindex_devices_1");
  EXPECT_EQ(text_on_file(path, "SELECT sql FROM sqlite_master WHERE name = 'devices_by_version'"),
            "CREATE INDEX devices_by_version ON devices(project_id, version_key, device_id, channel, blocked)");
}

}  // namespace
}  // namespace apiota::store
