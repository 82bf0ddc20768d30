// The copy of a SQLite store into a PostgreSQL one that `apiota migrate`
// makes (store/copy/sqlite_to_postgres.h), against a real PostgreSQL server
// (support/postgres_cluster.h): every table arrives with the same rows, read
// here apart from the copy's own check (each table's integer and text
// columns as both databases print them, the reals through the store); the
// counters are rebuilt, the ids go on after the copied ones, and the copy
// refuses a target that holds data, another server key or other columns,
// and undoes itself when a table reads back different.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/copy/copied_tables.h"
#include "store/copy/row_digest.h"
#include "store/copy/sqlite_to_postgres.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/connection.h"
#include "support/fleet_records.h"
#include "support/postgres_cluster.h"
#include "support/raw_sql.h"
#include "support/store_factories.h"

namespace apiota::store::copy {
namespace {

using domain::AttemptEnd;
using domain::OtaStatus;

class StoreCopy : public ::testing::Test {
 protected:
  StoreCopy() : dir_("apiota-store-copy"), uri_(testing::shared_postgres().create_database()) {
    source_ = testing::sqlite_store()(dir_.path());
    target_ = std::make_unique<postgres::PostgresStore>(uri_, 2);
  }

  std::string sqlite_path() const { return (dir_.path() / "apiota.db").string(); }

  // A small installation touching every table, with a release that rolls
  // back to a newer one (its reference goes forward), text outside ASCII,
  // NULLs and reals that are not whole.
  void fill_source() {
    Store& s = *source_;
    EXPECT_EQ(s.claim_server_key_fingerprint("fp-source"), "fp-source");
    s.upsert_project({"default", "Default \xC3\xA9quipe", domain::Plan{1000, 1 << 20, 12.5, 0.1}, 5});
    s.upsert_project({"other", "Other", domain::Plan{}, 6});
    s.insert_key({"key_a", "default", KeyRole::Admin, std::string(64, 'b'), "apiota_ad", 7, std::nullopt, "ci"});
    s.insert_key({"key_p", "default", KeyRole::Provision, std::string(64, 'c'), "apiota_pr", 8, 9, ""});
    devices_.push_back(s.register_device(testing::device_record("default", "dev-a", 10), 100).device);
    devices_.push_back(s.register_device(testing::device_record("default", "dev-b", 11), 100).device);
    DeviceRecord unknown = testing::device_record("other", "dev-c", 12);
    unknown.firmware_version.reset();
    devices_.push_back(s.register_device(unknown, 100).device);
    ASSERT_TRUE(s.set_device_blocked("default", "dev-b", true, "stolen \xE2\x80\x94 tag 7"));
    ASSERT_TRUE(s.set_device_channel("default", "dev-a", domain::Channel::Beta));
    const std::vector<std::string> tags{"floor-1", "lab"};
    s.set_device_tags("dev-a", tags);
    s.record_seen(std::vector<SeenUpdate>{{devices_[0].row_id, "1.1.0", 20'000, "10.0.0.9"}});

    ReleaseRecord first = testing::release_record("default", "1.1.0", domain::Channel::Beta);
    first.rollout_percent = 33.3;
    first.max_failure_rate = 0.15;
    first.rollout_tags = {"lab"};
    ASSERT_TRUE(s.insert_release(first, testing::upload_audit));
    ReleaseRecord second = testing::release_record("default", "1.2.0");
    ASSERT_TRUE(s.insert_release(second, testing::upload_audit));
    first.rollback_target_id = second.id;
    ASSERT_TRUE(s.update_release(first, {0, "default", "key_a", "release.rollback_target", "release:1", "{}", "{}", 30}));
    releases_ = {first, second};

    s.set_pin({"default", domain::PinScope::Device, "dev-a", "1.0.0", 40});
    s.set_pin({"default", domain::PinScope::Tag, "lab", "1.1.0", 41});
    s.set_project_config("default", {R"({"interval":60,"name":"\u00e9"})", 50});
    s.set_device_config("dev-a", {R"({"led":true})", 51});

    const auto attempt = [&](const DeviceRecord& d, const ReleaseRecord& r, std::int64_t at,
                             std::optional<AttemptEnd> outcome) {
      AttemptRecord a{0, d.project_id, d.row_id, d.device_id, r.id, "1.0.0", r.version, OtaStatus::Downloading,
                      at, at, outcome, outcome ? std::optional<std::int64_t>(at) : std::nullopt};
      EXPECT_TRUE(s.apply_attempt_write(AttemptWrite{at, std::nullopt, std::nullopt, std::nullopt, a}));
    };
    attempt(devices_[0], first, 3'600'000, AttemptEnd::Failed);
    attempt(devices_[1], first, 7'300'000, AttemptEnd::Succeeded);
    attempt(devices_[0], second, 7'400'000, std::nullopt);
    OtaLogRecord log{0, "dev-a", "default", OtaStatus::Failed, "1.0.0", "1.1.0", "flash \"write\" failed", 60};
    s.append_ota_log(log, std::nullopt, AttemptWrite{60, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    OtaLogRecord bare{0, "dev-b", "default", OtaStatus::Downloading, std::nullopt, std::nullopt, std::nullopt, 61};
    s.append_ota_log(bare, std::nullopt, AttemptWrite{61, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    s.insert_console_session({std::string(64, 'd'), "key_a", "default", 70, 71, 72});
  }

  std::vector<TableReport> copy() {
    sqlite::Connection from(sqlite_path());
    sqlite::Transaction snapshot(from);
    postgres::Connection to(uri_);
    auto report = copy_sqlite_to_postgres(from, to);
    snapshot.commit();
    return report;
  }

  // `table`'s integer and text columns, row by row as each database prints
  // them, sorted: the same lists when the rows are the same.
  std::pair<std::vector<std::string>, std::vector<std::string>> both_sides(const std::string& table) {
    auto sqlite_raw = testing::raw_sqlite(sqlite_path());
    std::string columns;
    for (const std::string& c : sqlite_raw->rows("SELECT name FROM pragma_table_xinfo('" + table +
                                                 "') WHERE hidden = 0 AND type <> 'REAL' ORDER BY cid")) {
      columns += (columns.empty() ? "" : ", ") + c;
    }
    auto ours = sqlite_raw->rows("SELECT " + columns + " FROM " + table);
    auto theirs = testing::raw_postgres(uri_)->rows("SELECT " + columns + " FROM " + table);
    std::sort(ours.begin(), ours.end());
    std::sort(theirs.begin(), theirs.end());
    return {ours, theirs};
  }

  testing::TempFolder dir_;
  std::string uri_;
  std::unique_ptr<Store> source_;
  std::unique_ptr<postgres::PostgresStore> target_;
  std::vector<DeviceRecord> devices_;
  std::vector<ReleaseRecord> releases_;
};

TEST_F(StoreCopy, EveryTableArrivesWithTheSameRows) {
  fill_source();
  const std::vector<TableReport> report = copy();

  for (std::string_view table : copied_tables()) {
    const auto [ours, theirs] = both_sides(std::string(table));
    EXPECT_EQ(ours, theirs) << table;
    const auto reported = std::find_if(report.begin(), report.end(), [&](const auto& r) { return r.table == table; });
    ASSERT_NE(reported, report.end()) << table;
    EXPECT_EQ(reported->rows, static_cast<std::int64_t>(ours.size())) << table;
    EXPECT_FALSE(reported->rebuilt);
  }
  for (const RebuiltTable& table : rebuilt_tables()) {
    if (!table.compared) continue;
    const auto [ours, theirs] = both_sides(std::string(table.name));
    EXPECT_FALSE(ours.empty()) << table.name;
    EXPECT_EQ(ours, theirs) << table.name;
  }
  EXPECT_EQ(testing::raw_postgres(uri_)->rows("SELECT release_id, device_row_id, n FROM release_device_attempts "
                                              "ORDER BY 1, 2"),
            testing::raw_sqlite(sqlite_path())->rows("SELECT release_id, device_row_id, COUNT(*) FROM update_attempts "
                                                     "GROUP BY 1, 2 ORDER BY 1, 2"));
}

TEST_F(StoreCopy, TheTargetStoreReadsWhatTheSourceHeld) {
  fill_source();
  copy();
  Store& t = *target_;
  EXPECT_EQ(t.claim_server_key_fingerprint("fp-other"), "fp-source");
  const auto project = t.find_project("default");
  ASSERT_TRUE(project);
  EXPECT_EQ(project->name, "Default \xC3\xA9quipe");
  EXPECT_EQ(project->plan, (domain::Plan{1000, 1 << 20, 12.5, 0.1}));
  EXPECT_EQ(t.count_devices("default"), 2);
  const auto key = t.find_key_by_hash(std::string(64, 'b'));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->label, "ci");
  for (const DeviceRecord& before : devices_) {
    const auto after = t.find_device(before.device_id);
    ASSERT_TRUE(after) << before.device_id;
    EXPECT_EQ(after->row_id, before.row_id);
    EXPECT_EQ(after->secret_salt, before.secret_salt);
    EXPECT_EQ(after->secret_hash, before.secret_hash);
  }
  EXPECT_TRUE(t.find_device("dev-b")->blocked);
  EXPECT_EQ(t.find_device("dev-a")->open_attempt->target_version, "1.2.0");
  EXPECT_EQ(t.device_tags("dev-a"), (std::vector<std::string>{"floor-1", "lab"}));
  const auto first = t.find_release("default", releases_[0].id);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->rollback_target_id, releases_[1].id);
  EXPECT_DOUBLE_EQ(first->rollout_percent, 33.3);
  EXPECT_DOUBLE_EQ(first->max_failure_rate, 0.15);
  EXPECT_EQ(t.list_pins("default").size(), 2u);
  EXPECT_EQ(t.project_config("default")->json, R"({"interval":60,"name":"\u00e9"})");
  EXPECT_EQ(t.list_ota_logs("dev-a", 10).at(0).message, "flash \"write\" failed");
  EXPECT_TRUE(t.find_console_session(std::string(64, 'd')));
  EXPECT_EQ(t.release_outcomes("default").size(), source_->release_outcomes("default").size());

  // New rows are numbered after the copied ones.
  const DeviceRecord added = t.register_device(testing::device_record("default", "dev-new"), 100).device;
  EXPECT_GT(added.row_id, devices_.back().row_id);
  ReleaseRecord third = testing::release_record("default", "1.3.0");
  ASSERT_TRUE(t.insert_release(third, testing::upload_audit));
  EXPECT_GT(third.id, releases_[1].id);
  EXPECT_EQ(t.count_devices("default"), 3);
}

TEST_F(StoreCopy, AnEmptyInstallationCopiesToo) {
  const auto report = copy();
  for (const TableReport& table : report) EXPECT_EQ(table.rows, 0) << table.table;
  EXPECT_EQ(report.size(), copied_tables().size() + 4);
}

TEST_F(StoreCopy, ATargetHoldingDataIsRefusedAndKeepsIt) {
  fill_source();
  copy();
  EXPECT_THROW(copy(), CopyRefused);
  EXPECT_EQ(testing::raw_postgres(uri_)->rows("SELECT COUNT(*) FROM devices"), std::vector<std::string>{"3"});
}

TEST_F(StoreCopy, ATargetWithAnotherServerKeyIsRefused) {
  fill_source();
  EXPECT_EQ(target_->claim_server_key_fingerprint("fp-another"), "fp-another");
  EXPECT_THROW(copy(), CopyRefused);
  EXPECT_EQ(testing::raw_postgres(uri_)->rows("SELECT COUNT(*) FROM projects"), std::vector<std::string>{"0"});
}

TEST_F(StoreCopy, ATargetThatRecordedTheSameKeyTakesTheCopy) {
  fill_source();
  EXPECT_EQ(target_->claim_server_key_fingerprint("fp-source"), "fp-source");
  copy();
  EXPECT_EQ(testing::raw_postgres(uri_)->rows("SELECT value FROM meta"), std::vector<std::string>{"fp-source"});
}

TEST_F(StoreCopy, ColumnsThatDifferAreRefused) {
  fill_source();
  testing::raw_postgres(uri_)->exec("ALTER TABLE devices ADD COLUMN nickname TEXT");
  try {
    copy();
    ADD_FAILURE() << "copied into other columns";
  } catch (const CopyRefused& e) {
    EXPECT_NE(std::string(e.what()).find("nickname"), std::string::npos) << e.what();
  }
}

TEST_F(StoreCopy, ATableThatReadsBackDifferentUndoesTheWholeCopy) {
  fill_source();
  // A fixed-width column pads what it keeps: the ota_logs table differs.
  testing::raw_postgres(uri_)->exec("ALTER TABLE ota_logs ALTER COLUMN message TYPE CHAR(40)");
  try {
    copy();
    ADD_FAILURE() << "a lossy copy was kept";
  } catch (const CopyMismatch& e) {
    EXPECT_NE(std::string(e.what()).find("ota_logs"), std::string::npos) << e.what();
  }
  auto raw = testing::raw_postgres(uri_);
  for (std::string_view table : copied_tables()) {
    EXPECT_EQ(raw->rows("SELECT COUNT(*) FROM " + std::string(table)), std::vector<std::string>{"0"}) << table;
  }
}

// A table added to either schema must be carried, rebuilt or named as left
// behind, or this fails.
TEST_F(StoreCopy, EveryTableOfBothStoresIsAccountedFor) {
  std::vector<std::string> accounted;
  for (std::string_view t : copied_tables()) accounted.emplace_back(t);
  for (const RebuiltTable& t : rebuilt_tables()) accounted.emplace_back(t.name);
  for (std::string_view t : tables_left_behind()) accounted.emplace_back(t);
  const auto unaccounted = [&](std::vector<std::string> tables, std::vector<std::string> also) {
    std::vector<std::string> out;
    for (const std::string& t : tables) {
      if (std::find(accounted.begin(), accounted.end(), t) == accounted.end() &&
          std::find(also.begin(), also.end(), t) == also.end()) {
        out.push_back(t);
      }
    }
    return out;
  };
  EXPECT_EQ(unaccounted(testing::raw_sqlite(sqlite_path())
                            ->rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"),
                        {}),
            std::vector<std::string>{});
  EXPECT_EQ(unaccounted(testing::raw_postgres(uri_)->rows(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"),
                        {"schema_migrations", "firmware_files", "firmware_chunks"}),
            std::vector<std::string>{});
}

TEST(RowDigest, ValuesReadTheSameFromEitherStore) {
  EXPECT_EQ(canonical_value(ColumnKind::Integer, "007"), "7");
  EXPECT_EQ(canonical_value(ColumnKind::Integer, "-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(canonical_value(ColumnKind::Real, "0.1"), canonical_value(ColumnKind::Real, "0.10000000000000001"));
  EXPECT_EQ(canonical_value(ColumnKind::Real, "100"), canonical_value(ColumnKind::Real, "100.0"));
  EXPECT_NE(canonical_value(ColumnKind::Real, "0.1"), canonical_value(ColumnKind::Real, "0.10000000149011612"));
  EXPECT_EQ(canonical_value(ColumnKind::Text, " 07"), " 07");
}

TEST(RowDigest, RowsThatDifferDigestDifferently) {
  const auto digest = [](std::vector<std::vector<std::optional<std::string>>> rows) {
    RowDigest d;
    for (const auto& row : rows) {
      for (const auto& v : row) d.add_value(v);
      d.end_row();
    }
    return d.finish();
  };
  EXPECT_EQ(digest({{"a", "bc"}}), digest({{"a", "bc"}}));
  EXPECT_NE(digest({{"a", "bc"}}), digest({{"ab", "c"}}));
  EXPECT_NE(digest({{std::nullopt}}), digest({{""}}));
  EXPECT_NE(digest({{"a"}, {"b"}}), digest({{"a", "b"}}));
  EXPECT_NE(digest({{"a"}, {"b"}}), digest({{"b"}, {"a"}}));
}

}  // namespace
}  // namespace apiota::store::copy
