// The Store contract (store/store.h), checked against every implementation:
// SQLite, and PostgreSQL on a server the test harness starts
// (support/postgres_cluster.h).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "support/fleet_records.h"
#include "support/store_factories.h"

namespace apiota::store {
namespace {

using domain::AttemptEnd;
using domain::OtaStatus;

using testing::StoreFactory;

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("apiota-store-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    store_ = GetParam()(dir_);
    store_->upsert_project({"default", "Default", domain::Plan{}, 1000});
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  DeviceRecord device(const std::string& id, const std::string& project = "default") {
    DeviceRecord d;
    d.device_id = id;
    d.project_id = project;
    d.secret_salt = "salt";
    d.secret_hash = "hash-" + id;
    d.registered_at = 5000;
    d.firmware_version = "1.0.0";
    return d;
  }

  ReleaseRecord release(const std::string& version, const std::string& channel) {
    ReleaseRecord r;
    r.project_id = "default";
    r.version = version;
    r.channel = domain::parse_channel(channel).value();
    r.filename = "fw-" + version + "-" + channel + ".bin";
    r.size = 1234;
    r.sha256 = std::string(64, 'a');
    r.md5 = std::string(32, 'b');
    r.chip = "esp32";
    r.uploaded_by = "key_1";
    r.uploaded_at = 7000;
    return r;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, ProjectsRoundTripAndUpdate) {
  auto p = store_->find_project("default");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "Default");
  EXPECT_EQ(p->created_at, 1000);
  ProjectRecord changed = *p;
  changed.plan.max_devices = 7;
  changed.plan.device_burst = 3.5;
  store_->upsert_project(changed);
  EXPECT_EQ(store_->find_project("default")->plan, changed.plan);
  EXPECT_FALSE(store_->find_project("nope"));
  EXPECT_EQ(store_->list_projects().size(), 1u);
}

TEST_P(StoreConformance, KeysAreFoundByHashAndRevokedOnce) {
  KeyRecord k{"key_1", "default", KeyRole::Admin, "hash1", "pk_live_ab...", 10, std::nullopt, "ci deploy"};
  store_->insert_key(k);
  auto found = store_->find_key_by_hash("hash1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->role, KeyRole::Admin);
  EXPECT_EQ(found->label, "ci deploy");
  EXPECT_FALSE(found->revoked_at);
  EXPECT_TRUE(store_->revoke_key("key_1", 20));
  EXPECT_TRUE(store_->revoke_key("key_1", 30));
  EXPECT_EQ(store_->find_key_by_hash("hash1")->revoked_at, 20);
  EXPECT_FALSE(store_->revoke_key("key_missing", 20));
  EXPECT_EQ(store_->count_keys(), 1);
  EXPECT_EQ(store_->list_keys(std::string_view("other")).size(), 0u);
  EXPECT_EQ(store_->list_keys(std::nullopt).size(), 1u);
}

TEST_P(StoreConformance, ConsoleSessionsComeWithTheirKeyAndEnd) {
  store_->insert_key({"key_1", "default", KeyRole::Admin, "hash1", "pk_live_ab...", 10, std::nullopt, "ops"});
  store_->insert_console_session({"digest-a", "key_1", "default", 100, 100, 1000});
  store_->insert_console_session({"digest-b", "key_1", "default", 100, 500, 1000});
  store_->insert_console_session({"digest-c", "key_1", "default", 100, 100, 300});
  auto found = store_->find_console_session("digest-a");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session.key_id, "key_1");
  EXPECT_EQ(found->session.expires_at, 1000);
  EXPECT_EQ(found->key.label, "ops");
  EXPECT_EQ(found->key.role, KeyRole::Admin);
  EXPECT_FALSE(found->key.revoked_at);
  EXPECT_FALSE(store_->find_console_session("digest-x"));

  EXPECT_TRUE(store_->touch_console_session("digest-a", 450));
  EXPECT_EQ(store_->find_console_session("digest-a")->session.last_used_at, 450);
  EXPECT_FALSE(store_->touch_console_session("digest-x", 450));

  store_->revoke_key("key_1", 460);
  EXPECT_EQ(store_->find_console_session("digest-a")->key.revoked_at, 460);

  // At 400 with an idle cutoff of 200: c has expired; a and b were used since.
  EXPECT_EQ(store_->delete_ended_console_sessions(400, 200), 1);
  EXPECT_FALSE(store_->find_console_session("digest-c"));
  // Idle: b was last used at 500, a at 450.
  EXPECT_EQ(store_->delete_ended_console_sessions(600, 460), 1);
  EXPECT_FALSE(store_->find_console_session("digest-a"));
  EXPECT_TRUE(store_->delete_console_session("digest-b"));
  EXPECT_FALSE(store_->delete_console_session("digest-b"));
}

TEST_P(StoreConformance, RegisterCreatesThenReportsExistingThenEnforcesLimit) {
  auto first = store_->register_device(device("a"), 2);
  EXPECT_EQ(first.outcome, RegisterOutcome::Created);
  EXPECT_GT(first.device.row_id, 0);
  auto again = store_->register_device(device("a"), 2);
  EXPECT_EQ(again.outcome, RegisterOutcome::Exists);
  EXPECT_EQ(again.device.secret_hash, "hash-a");
  EXPECT_EQ(store_->register_device(device("b"), 2).outcome, RegisterOutcome::Created);
  EXPECT_EQ(store_->register_device(device("c"), 2).outcome, RegisterOutcome::PlanLimitReached);
  EXPECT_FALSE(store_->find_device("c"));
  EXPECT_EQ(store_->count_devices("default"), 2);
}

TEST_P(StoreConformance, ConcurrentRegistrationsNeverExceedTheLimit) {
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (store_->register_device(device("d" + std::to_string(t) + "-" + std::to_string(i)), 50).outcome ==
            RegisterOutcome::Created) {
          ++created;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 50);
  EXPECT_EQ(store_->count_devices("default"), 50);
}

TEST_P(StoreConformance, ConcurrentReportsAreEachCommittedOnce) {
  constexpr int kThreads = 8;
  constexpr int kReports = 100;
  for (int t = 0; t < kThreads; ++t) store_->register_device(device("r" + std::to_string(t)), 50);
  std::vector<std::thread> threads;
  std::mutex ids_mutex;
  std::set<std::int64_t> ids;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string id = "r" + std::to_string(t);
      for (int i = 0; i < kReports; ++i) {
        OtaLogRecord log{0, id, "default", OtaStatus::Checking, std::nullopt, std::nullopt, std::to_string(i),
                         1000 + i};
        const std::int64_t log_id = store_->append_ota_log(log, std::nullopt, AttemptWrite{});
        std::lock_guard lock(ids_mutex);
        ids.insert(log_id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kReports));
  for (int t = 0; t < kThreads; ++t) {
    auto logs = store_->list_ota_logs("r" + std::to_string(t), 1000);
    ASSERT_EQ(logs.size(), static_cast<std::size_t>(kReports));
    for (const auto& log : logs) EXPECT_TRUE(ids.contains(log.id));
    EXPECT_EQ(logs.front().message, std::to_string(kReports - 1)) << "a device's reports keep their order";
  }
}

TEST_P(StoreConformance, BlockChannelAndListAreScopedToTheProject) {
  store_->upsert_project({"other", "Other", domain::Plan{}, 1});
  store_->register_device(device("a"), 10);
  store_->register_device(device("b", "other"), 10);
  EXPECT_TRUE(store_->set_device_blocked("default", "a", true, "stolen"));
  EXPECT_FALSE(store_->set_device_blocked("default", "b", true, ""));
  EXPECT_TRUE(store_->find_device("a")->blocked);
  EXPECT_EQ(store_->find_device("a")->blocked_reason, "stolen");
  EXPECT_EQ(store_->list_devices({"default", 10, 0}).at(0).blocked_reason, "stolen");
  EXPECT_FALSE(store_->find_device("b")->blocked);
  EXPECT_TRUE(store_->set_device_blocked("default", "a", false, ""));
  EXPECT_EQ(store_->find_device("a")->blocked_reason, "");
  EXPECT_TRUE(store_->set_device_blocked("default", "a", true, ""));
  EXPECT_TRUE(store_->set_device_channel("default", "a", domain::Channel::Beta));
  EXPECT_EQ(store_->find_device("a")->channel, domain::Channel::Beta);
  auto listed = store_->list_devices({"default", 10, 0});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].device_id, "a");
}

TEST_P(StoreConformance, SeenUpdatesNeverOverrideANewerDoneReport) {
  auto dev = store_->register_device(device("a"), 10).device;
  OtaLogRecord done{0, "a", "default", OtaStatus::Done, "1.0.0", "2.0.0", std::nullopt, 9000};
  store_->append_ota_log(done, std::string_view("2.0.0"), AttemptWrite{});
  SeenUpdate stale{dev.row_id, "1.0.0", 8000, "10.0.0.1"};
  store_->record_seen(std::span(&stale, 1));
  auto after = store_->find_device("a");
  EXPECT_EQ(after->firmware_version, "2.0.0");
  EXPECT_EQ(after->last_seen_at, 8000);
  EXPECT_EQ(after->last_address, "10.0.0.1");
  SeenUpdate fresh{dev.row_id, "2.0.1", 9500, "10.0.0.2"};
  store_->record_seen(std::span(&fresh, 1));
  EXPECT_EQ(store_->find_device("a")->firmware_version, "2.0.1");
}

TEST_P(StoreConformance, SeenUpdatesOfOneBatchApplyInTheirOrder) {
  const auto a = store_->register_device(device("a"), 10).device;
  const auto b = store_->register_device(device("b"), 10).device;
  // a seen three times in one batch, the last sighting older than the second.
  store_->record_seen(std::vector<SeenUpdate>{{a.row_id, "1.1.0", 5000, "10.0.0.1"},
                                              {b.row_id, "1.2.0", 5000, "10.0.0.9"},
                                              {a.row_id, "1.3.0", 7000, "10.0.0.2"},
                                              {a.row_id, "1.4.0", 6000, "10.0.0.3"}});
  const auto after_a = store_->find_device("a");
  EXPECT_EQ(after_a->last_seen_at, 7000) << "the newest sighting";
  EXPECT_EQ(after_a->last_address, "10.0.0.3") << "the last address";
  EXPECT_EQ(after_a->firmware_version, "1.3.0") << "the version seen last in time";
  EXPECT_EQ(store_->find_device("b")->firmware_version, "1.2.0");
}

TEST_P(StoreConformance, AnImportCountsWhatItCreatedAndWhatExisted) {
  store_->register_device(device("old"), 100);
  std::vector<DeviceRecord> batch{device("old"), device("n1"), device("n2"), device("n1")};
  batch[2].firmware_version.reset();
  const auto result = store_->import_devices(batch, 100);
  EXPECT_TRUE(result.within_plan);
  EXPECT_EQ(result.created, 2);
  EXPECT_EQ(result.existing, 2);
  EXPECT_EQ(store_->count_devices("default"), 3);
  EXPECT_FALSE(store_->find_device("n2")->firmware_version);
  EXPECT_FALSE(store_->import_devices(std::vector<DeviceRecord>{device("n3"), device("n4")}, 4).within_plan);
  EXPECT_FALSE(store_->find_device("n3")) << "an import past the plan is undone whole";
}

TEST_P(StoreConformance, ReleasesAreUniquePerVersionAndChannel) {
  auto r = release("1.0.0", "stable");
  EXPECT_TRUE(store_->insert_release(r, testing::upload_audit));
  EXPECT_GT(r.id, 0);
  auto dup = release("1.0.0", "stable");
  dup.filename = "other-name.bin";
  EXPECT_FALSE(store_->insert_release(dup, testing::upload_audit));
  auto beta = release("1.0.0", "beta");
  EXPECT_TRUE(store_->insert_release(beta, testing::upload_audit));
  auto listed = store_->list_releases("default");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].channel, domain::Channel::Beta);  // newest first
  auto found = store_->find_release_by_filename("fw-1.0.0-stable.bin");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->sha256, std::string(64, 'a'));
  EXPECT_FALSE(store_->find_release_by_filename("../fw-1.0.0-stable.bin"));
  EXPECT_EQ(store_->referenced_sha256s(), std::vector<std::string>{std::string(64, 'a')});
}

TEST_P(StoreConformance, ReleaseUpdatesAreStoredWithTheirAuditEntry) {
  auto r = release("1.0.0", "stable");
  ASSERT_TRUE(store_->insert_release(r, testing::upload_audit));
  auto fresh = store_->find_release("default", r.id);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->state, domain::ReleaseState::Active);
  EXPECT_EQ(fresh->rollout_percent, 100);
  EXPECT_FALSE(fresh->rollback_target_id);
  EXPECT_FALSE(store_->find_release("other", r.id));

  auto target = release("0.9.0", "stable");
  ASSERT_TRUE(store_->insert_release(target, testing::upload_audit));
  ReleaseRecord changed = *fresh;
  changed.state = domain::ReleaseState::Revoked;
  changed.state_reason = "boot loop";
  changed.notes = "# 1.0.0";
  changed.rollout_percent = 12.5;
  changed.rollback_target_id = target.id;
  changed.max_failure_rate = 0.35;
  changed.safety_window = 40;
  changed.min_attempts = 8;
  changed.stuck_after_s = 600;
  changed.rollout_stages = {{1, 3600, 10}, {12.5, 0, 0}, {100, 86400, 250}};
  changed.stage_index = 1;
  changed.stage_started_at = 777;
  changed.safety_since = 888;
  AuditRecord audit{0, "default", "key_1", "release.revoke", "release:1", R"({"a":1})", R"({"a":2})", 42};
  EXPECT_TRUE(store_->update_release(changed, audit));
  auto after = store_->find_release("default", r.id);
  EXPECT_EQ(after->state, domain::ReleaseState::Revoked);
  EXPECT_EQ(after->state_reason, "boot loop");
  EXPECT_EQ(after->notes, "# 1.0.0");
  EXPECT_EQ(after->rollout_percent, 12.5);
  EXPECT_EQ(after->rollback_target_id, target.id);
  EXPECT_EQ(after->max_failure_rate, 0.35);
  EXPECT_EQ(after->safety_window, 40);
  EXPECT_EQ(after->min_attempts, 8);
  EXPECT_EQ(after->stuck_after_s, 600);
  ASSERT_EQ(after->rollout_stages.size(), 3u);
  EXPECT_EQ(after->rollout_stages[1].percent, 12.5);
  EXPECT_EQ(after->rollout_stages[2].min_duration_s, 86400);
  EXPECT_EQ(after->rollout_stages[2].min_successes, 250);
  EXPECT_EQ(after->stage_index, 1);
  EXPECT_EQ(after->stage_started_at, 777);
  EXPECT_EQ(after->safety_since, 888);
  auto log = store_->list_audit("default", 10);
  ASSERT_EQ(log.size(), 3u);  // the two inserts' lines, then the update's
  EXPECT_EQ(log[0].action, "release.revoke");
  EXPECT_EQ(log[0].before, R"({"a":1})");
  EXPECT_EQ(log[0].after, R"({"a":2})");

  ReleaseRecord missing = changed;
  missing.id = 999;
  EXPECT_FALSE(store_->update_release(missing, audit));
  EXPECT_EQ(store_->list_audit("default", 10).size(), 3u);
}

TEST_P(StoreConformance, AReleaseIsInsertedWithItsAuditLineOrNotAtAll) {
  auto r = release("1.0.0", "stable");
  ASSERT_TRUE(store_->insert_release(r, testing::upload_audit));
  auto log = store_->list_audit("default", 10);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "release.upload");
  EXPECT_EQ(log[0].subject, "release:" + std::to_string(r.id));
  EXPECT_EQ(log[0].at, 7000);

  int audits_made = 0;
  auto dup = release("1.0.0", "stable");
  EXPECT_FALSE(store_->insert_release(dup, [&](const ReleaseRecord& inserted) {
    ++audits_made;
    return testing::upload_audit(inserted);
  }));
  EXPECT_EQ(audits_made, 0) << "a refused insert has no audit line";

  auto failing = release("1.1.0", "stable");
  EXPECT_THROW(store_->insert_release(failing, [](const ReleaseRecord&) -> AuditRecord {
    throw std::runtime_error("no audit line");
  }),
               std::runtime_error);
  EXPECT_EQ(store_->list_releases("default").size(), 1u) << "a release was stored without its audit line";
  EXPECT_EQ(store_->list_audit("default", 10).size(), 1u);
}

TEST_P(StoreConformance, UpdateAttemptsOpenEndAndCount) {
  auto dev = store_->register_device(device("a"), 10).device;
  auto r = release("1.1.0", "stable");
  ASSERT_TRUE(store_->insert_release(r, testing::upload_audit));
  EXPECT_FALSE(store_->find_device("a")->open_attempt);

  AttemptRecord start{
      0, "default", dev.row_id, "a", r.id, "1.0.0", "1.1.0", OtaStatus::Downloading, 1000, 1000, std::nullopt, {}};
  OtaLogRecord log{0, "a", "default", OtaStatus::Downloading, "1.0.0", "1.1.0", std::nullopt, 1000};
  store_->append_ota_log(log, std::nullopt, AttemptWrite{1000, std::nullopt, std::nullopt, std::nullopt, start});
  auto open = store_->find_device("a")->open_attempt;
  ASSERT_TRUE(open);
  EXPECT_EQ(open->release_id, r.id);
  EXPECT_EQ(open->status, OtaStatus::Downloading);
  EXPECT_EQ(open->from_version, "1.0.0");

  EXPECT_TRUE(store_->stale_attempts(1000 + 3600 * 1000).empty());
  EXPECT_FALSE(
      store_->apply_attempt_write(AttemptWrite{2000, open->id, std::nullopt, OtaStatus::Rebooting, std::nullopt}));
  open = store_->find_device("a")->open_attempt;
  EXPECT_EQ(open->status, OtaStatus::Rebooting);
  EXPECT_EQ(open->status_at, 2000);
  auto stale = store_->stale_attempts(2000 + 3600 * 1000 + 1);
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].id, open->id);

  // A second open attempt supersedes the first instead of violating the
  // one-open-attempt rule.
  auto second = start;
  second.status_at = second.started_at = 2500;
  EXPECT_TRUE(store_->apply_attempt_write(AttemptWrite{2500, std::nullopt, std::nullopt, std::nullopt, second}));
  auto reopened = store_->find_device("a")->open_attempt;
  ASSERT_TRUE(reopened);
  EXPECT_NE(reopened->id, open->id);
  // Ending an attempt that is no longer open changes nothing.
  EXPECT_FALSE(store_->apply_attempt_write(AttemptWrite{2600, open->id, AttemptEnd::Failed, std::nullopt, std::nullopt}));
  EXPECT_TRUE(
      store_->apply_attempt_write(AttemptWrite{3000, reopened->id, AttemptEnd::RolledBack, std::nullopt, std::nullopt}));
  auto after = store_->find_device("a");
  EXPECT_FALSE(after->open_attempt);
  EXPECT_EQ(after->rolled_back_release_ids, std::vector<std::int64_t>{r.id});

  auto ended = start;
  ended.outcome = AttemptEnd::Succeeded;
  ended.ended_at = 4000;
  EXPECT_TRUE(store_->apply_attempt_write(AttemptWrite{4000, std::nullopt, std::nullopt, std::nullopt, ended}));
  ended.outcome = AttemptEnd::Failed;
  ended.ended_at = 5000;
  EXPECT_TRUE(store_->apply_attempt_write(AttemptWrite{5000, std::nullopt, std::nullopt, std::nullopt, ended}));
  EXPECT_EQ(store_->recent_attempt_outcomes(r.id, 0, 10),
            (std::vector<AttemptEnd>{AttemptEnd::RolledBack, AttemptEnd::Succeeded, AttemptEnd::Failed}));
  EXPECT_EQ(store_->recent_attempt_outcomes(r.id, 0, 2),
            (std::vector<AttemptEnd>{AttemptEnd::Succeeded, AttemptEnd::Failed}));
  EXPECT_EQ(store_->recent_attempt_outcomes(r.id, 4500, 10), std::vector<AttemptEnd>{AttemptEnd::Failed});
  EXPECT_EQ(store_->count_successes_since(r.id, 4000), 1);
  EXPECT_EQ(store_->count_successes_since(r.id, 4001), 0);
  auto outcomes = store_->release_outcomes("default");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].release_id, r.id);
  EXPECT_EQ(outcomes[0].installs, 1);
  EXPECT_EQ(outcomes[0].failures, 1);
  EXPECT_EQ(outcomes[0].rolled_back, 1);
  EXPECT_EQ(outcomes[0].stuck, 0);
}

TEST_P(StoreConformance, RevokingAReleaseEndsItsOpenAttemptsAsRevoked) {
  auto a = store_->register_device(device("a"), 10).device;
  auto b = store_->register_device(device("b"), 10).device;
  auto revoked = release("1.1.0", "stable");
  auto other = release("1.2.0", "stable");
  ASSERT_TRUE(store_->insert_release(revoked, testing::upload_audit));
  ASSERT_TRUE(store_->insert_release(other, testing::upload_audit));
  AttemptRecord on_revoked{
      0, "default", a.row_id, "a", revoked.id, "1.0.0", "1.1.0", OtaStatus::Flashing, 1000, 1000, std::nullopt, {}};
  AttemptRecord on_other{
      0, "default", b.row_id, "b", other.id, "1.0.0", "1.2.0", OtaStatus::Downloading, 1000, 1000, std::nullopt, {}};
  ASSERT_TRUE(store_->apply_attempt_write(AttemptWrite{1000, std::nullopt, std::nullopt, std::nullopt, on_revoked}));
  ASSERT_TRUE(store_->apply_attempt_write(AttemptWrite{1000, std::nullopt, std::nullopt, std::nullopt, on_other}));

  // Pausing leaves attempts alone; revoking ends the release's own.
  revoked.state = domain::ReleaseState::Paused;
  AuditRecord audit{0, "default", "key_1", "release.pause", "release:1", "{}", "{}", 8000};
  ASSERT_TRUE(store_->update_release(revoked, audit));
  EXPECT_TRUE(store_->find_device("a")->open_attempt);
  revoked.state = domain::ReleaseState::Revoked;
  audit.action = "release.revoke";
  audit.at = 9000;
  ASSERT_TRUE(store_->update_release(revoked, audit));
  EXPECT_FALSE(store_->find_device("a")->open_attempt);
  EXPECT_TRUE(store_->find_device("a")->rolled_back_release_ids.empty());
  ASSERT_TRUE(store_->find_device("b")->open_attempt);
  EXPECT_TRUE(store_->stale_attempts(9000 + 3600 * 1000 + 1).size() == 1u);

  // Counted as ended by revocation, neither success nor failure.
  EXPECT_TRUE(store_->recent_attempt_outcomes(revoked.id, 0, 10).empty());
  auto outcomes = store_->release_outcomes("default");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].release_id, revoked.id);
  EXPECT_EQ(outcomes[0].revoked, 1);
  EXPECT_EQ(outcomes[0].installs + outcomes[0].failures + outcomes[0].stuck + outcomes[0].rolled_back, 0);
}

// local_cache_changes() moves with the generations, so a cache notices its
// own process's changes at once and nothing else costs it a check.
TEST_P(StoreConformance, CacheGenerationsFollowWhatCachesDependOn) {
  auto dev = store_->register_device(device("a"), 10).device;
  EXPECT_EQ(store_->count_devices("default"), 1);
  auto gens = store_->cache_generations();
  auto local = store_->local_cache_changes();

  // Observations and reports leave both alone.
  SeenUpdate seen{dev.row_id, "1.0.1", 5000, "10.0.0.1"};
  store_->record_seen(std::span(&seen, 1));
  store_->append_ota_log({0, "a", "default", OtaStatus::Checking, std::nullopt, std::nullopt, std::nullopt, 5000},
                         std::nullopt, AttemptWrite{});
  EXPECT_EQ(store_->cache_generations(), gens);
  EXPECT_EQ(store_->local_cache_changes(), local);

  auto r = release("1.0.0", "stable");
  ASSERT_TRUE(store_->insert_release(r, testing::upload_audit));
  auto after_release = store_->cache_generations();
  EXPECT_GT(after_release.catalog, gens.catalog);
  EXPECT_EQ(after_release.devices, gens.devices);
  EXPECT_GT(store_->local_cache_changes(), local);
  local = store_->local_cache_changes();

  store_->set_pin({"default", domain::PinScope::Tag, "lab", "1.0.0", 1});
  EXPECT_GT(store_->cache_generations().catalog, after_release.catalog);
  EXPECT_GT(store_->local_cache_changes(), local);

  store_->set_device_blocked("default", "a", true, "");
  auto after_block = store_->cache_generations();
  EXPECT_GT(after_block.devices, after_release.devices);
  const std::vector<std::string> tags{"lab"};
  store_->set_device_tags("a", tags);
  EXPECT_GT(store_->cache_generations().devices, after_block.devices);

  // Registering a new device changes neither: caches never hold absent devices.
  auto before_register = store_->cache_generations();
  local = store_->local_cache_changes();
  store_->register_device(device("b"), 10);
  EXPECT_EQ(store_->cache_generations(), before_register);
  EXPECT_EQ(store_->local_cache_changes(), local);
  EXPECT_EQ(store_->count_devices("default"), 2);
}

TEST_P(StoreConformance, AuditIsNewestFirstAndPerProject) {
  for (int i = 0; i < 3; ++i) {
    store_->append_audit({0, "default", "cli", "key.create", "key:" + std::to_string(i), "{}", "{}", 100 + i});
  }
  store_->append_audit({0, "other", "cli", "key.create", "key:x", "{}", "{}", 200});
  auto log = store_->list_audit("default", 2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].subject, "key:2");
  EXPECT_EQ(log[1].subject, "key:1");
  EXPECT_EQ(log[0].actor_label, "");
}

TEST_P(StoreConformance, AuditEntriesCarryTheLabelOfTheKeyThatMadeThem) {
  store_->insert_key({"key_1", "default", KeyRole::Admin, "hash1", "pk_live_ab...", 10, std::nullopt, "ops laptop"});
  store_->append_audit({0, "default", "key_1", "device.block", "device:a", "{}", "{}", 100});
  store_->append_audit({0, "default", "cli:alice", "device.block", "device:b", "{}", "{}", 101});
  auto log = store_->list_audit("default", 10);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].actor_label, "");
  EXPECT_EQ(log[1].actor_label, "ops laptop");
}

TEST_P(StoreConformance, DevicesAreFoundByTagWithinTheirProject) {
  store_->upsert_project({"other", "Other", domain::Plan{}, 1});
  store_->register_device(device("a"), 10);
  store_->register_device(device("b"), 10);
  store_->register_device(device("c", "other"), 10);
  for (const char* id : {"b", "a", "c"}) {
    std::vector<std::string> tags{"lab"};
    store_->set_device_tags(id, tags);
  }
  EXPECT_EQ(store_->device_ids_with_tag("default", "lab"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(store_->device_ids_with_tag("other", "lab"), (std::vector<std::string>{"c"}));
  EXPECT_TRUE(store_->device_ids_with_tag("default", "none").empty());
}

TEST_P(StoreConformance, OtaLogsListNewestFirst) {
  store_->register_device(device("a"), 10);
  for (int i = 0; i < 5; ++i) {
    store_->append_ota_log({0, "a", "default", OtaStatus::Downloading, std::nullopt, std::nullopt, "m" + std::to_string(i),
                            100 + i},
                           std::nullopt, AttemptWrite{});
  }
  auto logs = store_->list_ota_logs("a", 3);
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(logs[0].message, "m4");
  EXPECT_EQ(logs[2].message, "m2");
  EXPECT_EQ(store_->find_device("a")->firmware_version, "1.0.0");
}

TEST_P(StoreConformance, ConfigRoundTrips) {
  EXPECT_FALSE(store_->project_config("default"));
  store_->set_project_config("default", {R"({"a":1})", 10});
  store_->set_project_config("default", {R"({"a":2})", 20});
  EXPECT_EQ(store_->project_config("default")->json, R"({"a":2})");
  EXPECT_EQ(store_->project_config("default")->updated_at, 20);
  store_->set_device_config("dev", {R"({"b":true})", 30});
  EXPECT_EQ(store_->device_config("dev")->json, R"({"b":true})");
}

// Another process (or node) on the same store is another Store object: its
// changes reach this one's caches through data_version() and
// cache_generations(), within a moment (PostgreSQL's notifications are
// delivered after the commit).
TEST_P(StoreConformance, ChangesByAnotherStoreOnTheSameDataReachThisOnesCacheNumbers) {
  store_->register_device(device("z"), 10);
  const auto version = store_->data_version();
  const auto generations = store_->cache_generations();
  auto other = GetParam()(dir_);
  ASSERT_TRUE(other->set_device_blocked("default", "z", true, "lost"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (store_->data_version() == version && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(store_->data_version(), version);
  EXPECT_GT(store_->cache_generations().devices, generations.devices);
  EXPECT_TRUE(store_->find_device("z")->blocked);
}

TEST_P(StoreConformance, TheFirstServerKeyFingerprintClaimedStays) {
  const std::string first(64, 'a');
  const std::string second(64, 'b');
  EXPECT_EQ(store_->claim_server_key_fingerprint(first), first);
  EXPECT_EQ(store_->claim_server_key_fingerprint(second), first);
  EXPECT_EQ(store_->claim_server_key_fingerprint(first), first);
  store_.reset();
  store_ = GetParam()(dir_);
  EXPECT_EQ(store_->claim_server_key_fingerprint(second), first) << "the fingerprint must survive a reopen";
}

TEST_P(StoreConformance, ConcurrentFingerprintClaimsAgreeOnOne) {
  std::vector<std::string> answers(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const std::string mine(64, static_cast<char>('c' + i % 4));
    threads.emplace_back([&, i, mine] { answers[i] = store_->claim_server_key_fingerprint(mine); });
  }
  for (auto& t : threads) t.join();
  for (const auto& answer : answers) EXPECT_EQ(answer, answers.front());
  EXPECT_EQ(store_->claim_server_key_fingerprint("other"), answers.front());
}

TEST_P(StoreConformance, FleetCountsSeenNeverSeenAndBlocked) {
  store_->upsert_project({"other", "Other", domain::Plan{}, 1000});
  for (const char* id : {"a", "b", "c", "d"}) store_->register_device(device(id), 10);
  store_->register_device(device("x", "other"), 10);
  const auto row = [&](const char* id) { return store_->find_device(id)->row_id; };
  const std::vector<SeenUpdate> seen{{row("a"), "1.0.0", 10'000, "10.0.0.1"},
                                     {row("b"), "1.0.0", 5'000, "10.0.0.2"},
                                     {row("x"), "1.0.0", 10'000, "10.0.0.3"}};
  store_->record_seen(seen);
  ASSERT_TRUE(store_->set_device_blocked("default", "c", true, "lost"));
  const FleetCounts counts = store_->fleet_counts("default", 10'000, 5'000);
  EXPECT_EQ(counts.total, 4);
  EXPECT_EQ(counts.seen_since_hour, 1);  // a, at the threshold
  EXPECT_EQ(counts.seen_since_day, 2);   // a and b
  EXPECT_EQ(counts.never_seen, 2);       // c and d
  EXPECT_EQ(counts.blocked, 1);
  EXPECT_EQ(store_->fleet_counts("nope", 0, 0).total, 0);
}

TEST_P(StoreConformance, VersionCountsArePerChannelAndVersion) {
  auto none = device("n");
  none.firmware_version.reset();
  for (const auto& d : {device("a"), device("b"), device("c"), none}) store_->register_device(d, 10);
  ASSERT_TRUE(store_->set_device_channel("default", "c", domain::Channel::Beta));
  store_->record_seen(std::vector<SeenUpdate>{{store_->find_device("b")->row_id, "1.1.0", 9'000, "10.0.0.1"}});
  const auto counts = store_->version_counts("default");
  ASSERT_EQ(counts.size(), 4u);
  const auto devices = [&](domain::Channel channel, std::optional<std::string> version) {
    for (const auto& c : counts) {
      if (c.channel == channel && c.version == version) return c.devices;
    }
    return std::int64_t{-1};
  };
  EXPECT_EQ(devices(domain::Channel::Stable, "1.0.0"), 1);
  EXPECT_EQ(devices(domain::Channel::Stable, "1.1.0"), 1);
  EXPECT_EQ(devices(domain::Channel::Stable, std::nullopt), 1);
  EXPECT_EQ(devices(domain::Channel::Beta, "1.0.0"), 1);
}

TEST_P(StoreConformance, OutcomeAndAttemptCountsFollowEndedAttempts) {
  auto r = release("1.1.0", "stable");
  ASSERT_TRUE(store_->insert_release(r, testing::upload_audit));
  const auto attempt = [&](const char* id, std::optional<AttemptEnd> outcome, std::int64_t at) {
    auto dev = store_->find_device(id);
    if (!dev) dev = store_->register_device(device(id), 10).device;
    AttemptRecord a{0, "default", dev->row_id, id, r.id, "1.0.0", "1.1.0", OtaStatus::Downloading, at, at,
                    outcome, outcome ? std::optional<std::int64_t>(at) : std::nullopt};
    ASSERT_TRUE(store_->apply_attempt_write(AttemptWrite{at, std::nullopt, std::nullopt, std::nullopt, a}));
  };
  attempt("a", AttemptEnd::Succeeded, 3'600'000);      // bucket 1 h
  attempt("a", AttemptEnd::Failed, 3'600'000 + 59);    // bucket 1 h, same device again
  attempt("b", AttemptEnd::Stuck, 7'200'000);          // bucket 2 h
  attempt("c", AttemptEnd::RolledBack, 7'300'000);     // bucket 2 h
  attempt("d", AttemptEnd::Superseded, 7'300'000);     // left out of outcomes
  attempt("e", AttemptEnd::Succeeded, 1'000);          // before `since`
  attempt("f", std::nullopt, 7'400'000);               // open

  const auto outcomes = store_->outcome_counts("default", 3'600'000, 3'600'000);
  std::vector<std::tuple<std::int64_t, AttemptEnd, std::int64_t>> got;
  for (const auto& o : outcomes) got.emplace_back(o.bucket_start, o.outcome, o.attempts);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::tuple<std::int64_t, AttemptEnd, std::int64_t>>{
                     {3'600'000, AttemptEnd::Succeeded, 1},
                     {3'600'000, AttemptEnd::Failed, 1},
                     {7'200'000, AttemptEnd::Stuck, 1},
                     {7'200'000, AttemptEnd::RolledBack, 1}}));
  EXPECT_TRUE(store_->outcome_counts("other", 0, 3'600'000).empty());

  const AttemptCounts counts = store_->attempt_counts(r.id);
  EXPECT_EQ(counts.devices, 6);  // a..f, a once
  EXPECT_EQ(counts.open, 1);
  EXPECT_EQ(counts.succeeded, 2);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(counts.stuck, 1);
  EXPECT_EQ(counts.rolled_back, 1);
  EXPECT_EQ(store_->attempt_counts(r.id + 100).devices, 0);
  EXPECT_TRUE(store_->has_open_attempt(r.id));
  EXPECT_FALSE(store_->has_open_attempt(r.id + 100));
}

// count_unblocked_devices() counts what for_each_unblocked_device() visits.
TEST_P(StoreConformance, UnblockedDevicesAreWalkedAndCountedByChannelAndTag) {
  store_->upsert_project({"other", "Other", domain::Plan{}, 1000});
  for (const char* id : {"s1", "s2", "b1", "d1", "blocked"}) store_->register_device(device(id), 10);
  store_->register_device(device("elsewhere", "other"), 10);
  ASSERT_TRUE(store_->set_device_channel("default", "b1", domain::Channel::Beta));
  ASSERT_TRUE(store_->set_device_channel("default", "d1", domain::Channel::Dev));
  ASSERT_TRUE(store_->set_device_blocked("default", "blocked", true, ""));
  store_->set_device_tags("s1", std::vector<std::string>{"lab", "x"});
  store_->set_device_tags("b1", std::vector<std::string>{"lab"});
  store_->set_device_tags("s2", std::vector<std::string>{"field"});
  const auto walk = [&](std::vector<domain::Channel> channels, std::vector<std::string> tags) {
    std::set<std::string> out;
    store_->for_each_unblocked_device("default", channels, tags, [&](std::string_view id) {
      EXPECT_TRUE(out.emplace(id).second) << id << " visited twice";
    });
    EXPECT_EQ(store_->count_unblocked_devices("default", channels, tags), static_cast<std::int64_t>(out.size()));
    return out;
  };
  using C = domain::Channel;
  EXPECT_EQ(walk({C::Stable, C::Beta, C::Dev}, {}), (std::set<std::string>{"s1", "s2", "b1", "d1"}));
  EXPECT_EQ(walk({C::Beta, C::Dev}, {}), (std::set<std::string>{"b1", "d1"}));
  EXPECT_EQ(walk({C::Stable, C::Beta, C::Dev}, {"lab", "x"}), (std::set<std::string>{"s1", "b1"}));
  EXPECT_EQ(walk({C::Stable}, {"field", "none"}), (std::set<std::string>{"s2"}));
  EXPECT_TRUE(walk({}, {}).empty());
  EXPECT_TRUE(walk({C::Stable, C::Beta, C::Dev}, {"none"}).empty());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(testing::sqlite_store()));
INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(testing::postgres_store()));

}  // namespace
}  // namespace apiota::store
