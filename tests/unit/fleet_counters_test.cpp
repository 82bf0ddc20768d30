// The trigger-kept fleet statistics counters (SQLite's kSchemaV12,
// store/sqlite/schema.cpp; PostgreSQL's triggers, store/postgres/schema.cpp),
// on both stores: after every kind of change the store makes
// (register, import, delete, channel change, version change by poll and by an
// OTA report, attempt start, end, supersede, revocation, release deletion)
// and (SQLite) after the migration's backfill, each counter table equals a recount
// from the devices and update_attempts tables, and the FleetStatsStore
// answers and the changelog's release outcomes read from them equal the
// same recount.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/schema.h"
#include "support/fleet_records.h"
#include "support/store_factories.h"

namespace apiota::store {
namespace {

using domain::AttemptEnd;
using domain::OtaStatus;

// Each counter table next to its recount.
struct CounterCheck {
  const char* counters;
  const char* recount;
};

constexpr CounterCheck kChecks[] = {
    {"SELECT project_id, channel, known, version, n FROM device_version_counts ORDER BY 1, 2, 3, 4",
     "SELECT project_id, channel, CASE WHEN firmware_version IS NULL THEN 0 ELSE 1 END, COALESCE(firmware_version, ''), "
     "COUNT(*) "
     "FROM devices GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"},
    {"SELECT project_id, hour_start, outcome, n FROM attempt_outcome_hours ORDER BY 1, 2, 3",
     "SELECT project_id, (ended_at / 3600000) * 3600000, outcome, COUNT(*) FROM update_attempts "
     "WHERE ended_at IS NOT NULL AND outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back') "
     "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"},
    {"SELECT release_id, outcome, n FROM release_attempt_counts ORDER BY 1, 2",
     "SELECT release_id, outcome, COUNT(*) FROM update_attempts GROUP BY 1, 2 ORDER BY 1, 2"},
    {"SELECT release_id, n FROM release_offered_devices ORDER BY 1",
     "SELECT release_id, COUNT(DISTINCT device_row_id) FROM update_attempts GROUP BY 1 ORDER BY 1"},
};

// The checks and the changes, on one store implementation.
class FleetCounterChecks : public ::testing::Test {
 protected:
  explicit FleetCounterChecks(testing::StoreBackend backend)
      : backend_(std::move(backend)), dir_("apiota-fleet-counters") {
    open();
    store_->upsert_project({"default", "Default", domain::Plan{}, 1000});
    store_->upsert_project({"other", "Other", domain::Plan{}, 1000});
    raw_ = backend_.raw(dir_.path());
  }

  void open() { store_ = backend_.open(dir_.path()); }
  std::vector<std::string> rows_of(const std::string& sql) { return raw_->rows(sql); }
  // rows_of(), sorted: for recounts whose order the two databases would
  // write differently.
  std::vector<std::string> sorted_rows_of(const std::string& sql) {
    auto rows = raw_->rows(sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // Every counter equals its recount, and the store's answers too.
  void expect_recount(const std::string& after) {
    SCOPED_TRACE("after " + after);
    for (const CounterCheck& check : kChecks) {
      EXPECT_EQ(rows_of(check.counters), rows_of(check.recount)) << check.counters;
    }
    for (const char* project : {"default", "other"}) {
      std::vector<std::string> versions;
      for (const VersionCount& v : store_->version_counts(project)) {
        versions.push_back(std::string(domain::to_string(v.channel)) + "|" + v.version.value_or("NULL") + "|" +
                           std::to_string(v.devices));
      }
      EXPECT_EQ(versions, rows_of(std::string("SELECT channel, COALESCE(firmware_version, 'NULL'), COUNT(*) "
                                                   "FROM devices WHERE project_id = '") +
                                           project + "' GROUP BY channel, firmware_version "
                                                     "ORDER BY channel, firmware_version IS NOT NULL, firmware_version"));
      for (const std::int64_t width : {std::int64_t{3'600'000}, std::int64_t{86'400'000}}) {
        std::vector<std::string> outcomes;
        for (const OutcomeCount& o : store_->outcome_counts(project, 0, width)) {
          outcomes.push_back(std::to_string(o.bucket_start) + "|" + std::string(domain::to_string(o.outcome)) + "|" +
                             std::to_string(o.attempts));
        }
        std::sort(outcomes.begin(), outcomes.end());
        EXPECT_EQ(outcomes, sorted_rows_of("SELECT (ended_at / " + std::to_string(width) + ") * " +
                                           std::to_string(width) + " AS b, outcome, COUNT(*) FROM update_attempts "
                                           "WHERE project_id = '" + project + "' AND ended_at IS NOT NULL AND "
                                           "outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back') "
                                           "GROUP BY b, outcome"));
      }
    }
    for (const char* project : {"default", "other"}) {
      std::vector<std::string> outcomes;
      for (const ReleaseOutcomes& o : store_->release_outcomes(project)) {
        outcomes.push_back(std::to_string(o.release_id) + "|" + std::to_string(o.installs) + "|" +
                           std::to_string(o.failures) + "|" + std::to_string(o.stuck) + "|" +
                           std::to_string(o.rolled_back) + "|" + std::to_string(o.revoked));
      }
      EXPECT_EQ(outcomes, rows_of(std::string("SELECT a.release_id, COUNT(*) FILTER (WHERE outcome = 'succeeded'), "
                                                   "COUNT(*) FILTER (WHERE outcome = 'failed'), "
                                                   "COUNT(*) FILTER (WHERE outcome = 'stuck'), "
                                                   "COUNT(*) FILTER (WHERE outcome = 'rolled_back'), "
                                                   "COUNT(*) FILTER (WHERE outcome = 'revoked') "
                                                   "FROM update_attempts a JOIN releases r ON r.id = a.release_id "
                                                   "WHERE r.project_id = '") +
                                           project + "' AND outcome != '' GROUP BY a.release_id ORDER BY 1"))
          << "release outcomes of " << project;
    }
    for (const std::string& id : rows_of("SELECT id FROM releases UNION SELECT release_id FROM update_attempts")) {
      const AttemptCounts c = store_->attempt_counts(std::stoll(id));
      EXPECT_EQ(std::to_string(c.devices) + "|" + std::to_string(c.open) + "|" + std::to_string(c.succeeded) + "|" +
                    std::to_string(c.failed) + "|" + std::to_string(c.stuck) + "|" + std::to_string(c.rolled_back),
                rows_of("SELECT COUNT(DISTINCT device_row_id), COUNT(*) FILTER (WHERE outcome = ''), "
                             "COUNT(*) FILTER (WHERE outcome = 'succeeded'), COUNT(*) FILTER (WHERE outcome = 'failed'), "
                             "COUNT(*) FILTER (WHERE outcome = 'stuck'), COUNT(*) FILTER (WHERE outcome = 'rolled_back') "
                             "FROM update_attempts WHERE release_id = " + id)
                    .at(0)) << "release " << id;
    }
  }

  void exec(const std::string& sql) { raw_->exec(sql); }

  DeviceRecord add(const std::string& id, const std::string& project = "default") {
    return store_->register_device(testing::device_record(project, id), 100).device;
  }

  ReleaseRecord release(const std::string& version) {
    ReleaseRecord r = testing::release_record("default", version);
    EXPECT_TRUE(store_->insert_release(r, testing::upload_audit));
    return r;
  }

  void start(const DeviceRecord& d, const ReleaseRecord& r, std::int64_t at,
             std::optional<AttemptEnd> outcome = std::nullopt) {
    AttemptRecord a{0, d.project_id, d.row_id, d.device_id, r.id, "1.0.0", r.version, OtaStatus::Downloading, at, at,
                    outcome, outcome ? std::optional<std::int64_t>(at) : std::nullopt};
    EXPECT_TRUE(store_->apply_attempt_write(AttemptWrite{at, std::nullopt, std::nullopt, std::nullopt, a}));
  }

  void end_open(const std::string& device_id, AttemptEnd outcome, std::int64_t at) {
    auto open = store_->find_device(device_id)->open_attempt;
    ASSERT_TRUE(open);
    EXPECT_TRUE(store_->apply_attempt_write(AttemptWrite{at, open->id, outcome, std::nullopt, std::nullopt}));
  }

  testing::StoreBackend backend_;
  testing::TempFolder dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<testing::RawSql> raw_;
};

class FleetCounters : public ::testing::WithParamInterface<testing::StoreBackend>, public FleetCounterChecks {
 protected:
  FleetCounters() : FleetCounterChecks(GetParam()) {}
};

// The migration's backfill: SQLite databases of earlier schema versions.
class SqliteFleetCounters : public FleetCounterChecks {
 protected:
  SqliteFleetCounters() : FleetCounterChecks(testing::sqlite_backend()) {}
};

TEST_P(FleetCounters, DeviceVersionsFollowEveryDeviceChange) {
  const DeviceRecord a = add("a");
  add("b");
  DeviceRecord none = testing::device_record("default", "none");
  none.firmware_version.reset();
  store_->register_device(none, 100);
  DeviceRecord empty = testing::device_record("default", "empty");
  empty.firmware_version = "";
  store_->register_device(empty, 100);
  add("x", "other");
  expect_recount("register");

  std::vector<DeviceRecord> imported{testing::device_record("default", "i1"), testing::device_record("default", "i2")};
  imported[1].firmware_version = "0.9.0";
  ASSERT_TRUE(store_->import_devices(imported, 100).within_plan);
  expect_recount("import");

  ASSERT_TRUE(store_->set_device_channel("default", "b", domain::Channel::Beta));
  ASSERT_TRUE(store_->set_device_channel("default", "none", domain::Channel::Dev));
  expect_recount("channel change");
  ASSERT_TRUE(store_->set_device_channel("default", "b", domain::Channel::Beta));
  expect_recount("channel set to the same");

  const auto row = [&](const char* id) { return store_->find_device(id)->row_id; };
  store_->record_seen(std::vector<SeenUpdate>{{row("a"), "1.0.0", 10'000, "10.0.0.1"},
                                              {row("b"), "1.1.0", 10'000, "10.0.0.2"},
                                              {row("none"), "1.0.0", 10'000, "10.0.0.3"},
                                              {row("empty"), "", 10'000, "10.0.0.4"}});
  expect_recount("polls, same and new versions");
  store_->record_seen(std::vector<SeenUpdate>{{row("b"), "1.2.0", 20'000, "10.0.0.2"},
                                              {row("b"), "1.3.0", 15'000, "10.0.0.2"}});
  EXPECT_EQ(store_->find_device("b")->firmware_version, "1.2.0");  // an older poll does not win
  expect_recount("polls out of order");

  const ReleaseRecord r = release("2.0.0");
  OtaLogRecord done{0, "a", "default", OtaStatus::Done, "1.0.0", "2.0.0", std::nullopt, 30'000};
  store_->append_ota_log(done, std::string_view("2.0.0"), AttemptWrite{30'000, std::nullopt, std::nullopt,
                                                                       std::nullopt, std::nullopt});
  EXPECT_EQ(store_->find_device("a")->firmware_version, "2.0.0");
  expect_recount("OTA done");
  store_->record_seen(std::vector<SeenUpdate>{{a.row_id, "1.0.0", 25'000, "10.0.0.1"}});
  EXPECT_EQ(store_->find_device("a")->firmware_version, "2.0.0");  // a poll older than the report does not win
  store_->record_seen(std::vector<SeenUpdate>{{a.row_id, "2.0.0", 35'000, "10.0.0.1"}});
  expect_recount("polls after OTA done");

  exec("DELETE FROM devices WHERE device_id IN ('b', 'i1')");
  expect_recount("delete");
  exec("DELETE FROM devices WHERE device_id = 'x'");
  expect_recount("the other project's last device deleted");
  EXPECT_TRUE(store_->version_counts("other").empty());

  // A release of a version some device runs is in use; the counter says so.
  EXPECT_EQ(store_->delete_release("default", r.id, testing::upload_audit(r)), ReleaseStore::DeleteOutcome::InUse);
}

TEST_P(FleetCounters, AttemptCountsFollowEveryAttemptChange) {
  const DeviceRecord a = add("a"), b = add("b"), c = add("c"), x = add("x", "other");
  const ReleaseRecord r1 = release("1.1.0"), r2 = release("1.2.0");
  start(a, r1, 3'600'000);
  start(b, r1, 3'600'100);
  expect_recount("open attempts");

  end_open("a", AttemptEnd::Succeeded, 7'200'000);
  end_open("b", AttemptEnd::Failed, 90'000'000);
  expect_recount("attempts ended");

  start(a, r1, 7'300'000);  // the same device again: offered once
  start(a, r2, 7'400'000);  // supersedes the open attempt on r1
  start(c, r1, 7'500'000, AttemptEnd::RolledBack);
  start(c, r1, 7'600'000, AttemptEnd::Stuck);
  start(x, r1, 7'700'000, AttemptEnd::Succeeded);
  expect_recount("started, superseded and inserted ended");

  ReleaseRecord revoked = r2;
  revoked.state = domain::ReleaseState::Revoked;
  ASSERT_TRUE(store_->update_release(revoked, AuditRecord{0, "default", "key_1", "release.revoke", "release:2", "{}",
                                                          "{}", 8'000'000}));
  expect_recount("revocation");

  exec("UPDATE update_attempts SET ended_at = ended_at + 86400000 WHERE outcome = 'succeeded'");
  exec("UPDATE update_attempts SET release_id = " + std::to_string(r2.id) + " WHERE device_id = 'c'");
  exec("UPDATE update_attempts SET device_row_id = " + std::to_string(b.row_id) + " WHERE device_id = 'x'");
  expect_recount("end time, release and device moved");

  start(b, r1, 9'000'000);
  ASSERT_EQ(store_->delete_release("default", r2.id, testing::upload_audit(r2)), ReleaseStore::DeleteOutcome::Deleted);
  expect_recount("release deleted");
  exec("DELETE FROM update_attempts");
  expect_recount("every attempt deleted");
  EXPECT_EQ(rows_of("SELECT COUNT(*) FROM release_attempt_counts"), std::vector<std::string>{"0"});
}

// An existing database of schema 11 (no counters, B's indexes) is brought to
// 12: the counters are filled from what is there, and the old indexes go.
TEST_F(SqliteFleetCounters, TheMigrationBackfillsTheCountersAndDropsTheScanIndexes) {
  const DeviceRecord a = add("a");
  add("b");
  add("x", "other");
  const ReleaseRecord r = release("1.1.0");
  start(a, r, 3'600'000, AttemptEnd::Succeeded);
  start(a, r, 3'700'000);
  store_.reset();
  exec("DROP TRIGGER device_version_counts_insert; DROP TRIGGER device_version_counts_delete; "
       "DROP TRIGGER device_version_counts_update; DROP TRIGGER attempt_counts_insert; "
       "DROP TRIGGER attempt_counts_delete; DROP TRIGGER attempt_counts_update; DROP TRIGGER attempt_offered_update; "
       "DROP TABLE device_version_counts; DROP TABLE attempt_outcome_hours; DROP TABLE release_attempt_counts; "
       "DROP TABLE release_offered_devices; "
       "CREATE INDEX devices_by_channel_version ON devices(project_id, channel, firmware_version); "
       "CREATE INDEX update_attempts_by_project_end ON update_attempts(project_id, ended_at, outcome); "
       "PRAGMA user_version = 11;");
  exec("INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, registered_at, firmware_version) "
       "VALUES ('old', 'default', 's', 'h', 1, '0.1.0')");
  exec("INSERT INTO update_attempts (project_id, device_row_id, device_id, release_id, target_version, status, "
       "status_at, started_at, outcome, ended_at) VALUES ('default', 99, 'old', 5, '1.1.0', 'done', 1, 1, "
       "'failed', 7300000)");
  open();
  expect_recount("migration");
  EXPECT_EQ(rows_of("SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                         "('devices_by_channel_version', 'update_attempts_by_project_end')"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(rows_of("PRAGMA user_version"), std::vector<std::string>{std::to_string(sqlite::kSchemaVersion)});
  add("after");
  expect_recount("a device added after the migration");
}

INSTANTIATE_TEST_SUITE_P(Stores, FleetCounters, ::testing::Values(testing::sqlite_backend(), testing::postgres_backend()),
                         testing::backend_name);

}  // namespace
}  // namespace apiota::store
