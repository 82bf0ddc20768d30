// RolloutService (service/rollout_service.h) over each real store (SQLite in a
// temp folder, PostgreSQL on the tests' own server), on a fake clock (no sleeps): failures past a release's safety
// policy pause it, successes past a stage's minimums advance it, the sweep
// ends attempts silent for longer than stuck_after as stuck (and advances
// timed stages), and an operator's resume restarts the safety window. Every
// change is audited with "apiota" as the actor.

#include "service/rollout_service.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "service/release_operations.h"
#include "support/fake_env.h"
#include "support/store_factories.h"
#include "support/fleet_records.h"

namespace apiota::service {
namespace {

using namespace std::chrono_literals;
using domain::AttemptEnd;

constexpr int kDevices = 8;

// The lines spdlog's default logger writes while it lives.
class CapturedLog {
 public:
  CapturedLog()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64)), previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("rollout-service-test", sink_));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& message : sink_->last_raw()) out.emplace_back(message.payload.data(), message.payload.size());
    return out;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

class RolloutServiceTest : public ::testing::TestWithParam<testing::StoreBackend> {
 protected:
  RolloutServiceTest() : store_(GetParam().open(folder_.path())), rollouts_(*store_, env_, changes_) {
    store_->upsert_project({"p", "P", domain::Plan{}, 1});
    for (int i = 0; i < kDevices; ++i) {
      auto result = store_->register_device(testing::device_record("p", device(i)), 100);
      EXPECT_EQ(result.outcome, store::RegisterOutcome::Created);
      rows_.push_back(result.device.row_id);
    }
  }

  static std::string device(int i) { return "dev-" + std::to_string(i); }

  // A release of 2.0.0 that pauses when more than half of its last 4 ended
  // attempts failed, once 3 ended, and counts a minute's silence as stuck.
  std::int64_t add_release(store::ReleaseRecord release = testing::release_record("p", "2.0.0")) {
    release.max_failure_rate = 0.5;
    release.safety_window = 4;
    release.min_attempts = 3;
    release.stuck_after_s = 60;
    EXPECT_TRUE(store_->insert_release(release, testing::upload_audit));
    return release.id;
  }

  store::AttemptRecord attempt(int device_index, std::int64_t release_id, domain::OtaStatus status) {
    store::AttemptRecord a;
    a.project_id = "p";
    a.device_row_id = rows_[device_index];
    a.device_id = device(device_index);
    a.release_id = release_id;
    a.from_version = "1.0.0";
    a.target_version = "2.0.0";
    a.status = status;
    a.status_at = a.started_at = env_.now_ms();
    return a;
  }

  // Device `device_index` starts an attempt at the release and ends it now
  // with `end`, stored as DeviceService stores it; then the service is told.
  bool end_attempt(int device_index, std::int64_t release_id, AttemptEnd end) {
    const auto status = end == AttemptEnd::Succeeded ? domain::OtaStatus::Done : domain::OtaStatus::Failed;
    store::AttemptRecord a = attempt(device_index, release_id, status);
    a.outcome = end;
    a.ended_at = env_.now_ms();
    EXPECT_TRUE(store_->apply_attempt_write({env_.now_ms(), std::nullopt, std::nullopt, std::nullopt, a}));
    return rollouts_.attempt_ended("p", release_id, end, env_.now_ms());
  }

  void start_attempt(int device_index, std::int64_t release_id, domain::OtaStatus status) {
    EXPECT_TRUE(store_->apply_attempt_write(
        {env_.now_ms(), std::nullopt, std::nullopt, std::nullopt, attempt(device_index, release_id, status)}));
  }

  store::ReleaseRecord release(std::int64_t id) { return store_->find_release("p", id).value(); }

  std::vector<store::AuditRecord> audited(const std::string& action) {
    std::vector<store::AuditRecord> out;
    for (auto& record : store_->list_audit("p", 100)) {
      if (record.action == action) out.push_back(std::move(record));
    }
    return out;
  }

  testing::TempFolder folder_{"apiota-rollout-service"};
  testing::FakeEnv env_;
  std::unique_ptr<store::Store> store_;
  ChangeFeed changes_;
  RolloutService rollouts_;
  std::vector<std::int64_t> rows_;
};

TEST_P(RolloutServiceTest, FailuresPastTheSafetyPolicyPauseAnActiveRelease) {
  const std::int64_t id = add_release();
  EXPECT_FALSE(end_attempt(0, id, AttemptEnd::Succeeded));
  EXPECT_FALSE(end_attempt(1, id, AttemptEnd::Failed)) << "paused before min_attempts ended";
  EXPECT_EQ(release(id).state, domain::ReleaseState::Active);
  EXPECT_TRUE(audited("release.auto_pause").empty());

  env_.advance(5s);
  EXPECT_TRUE(end_attempt(2, id, AttemptEnd::RolledBack)) << "2 of 3 failed, over 0.5";
  const store::ReleaseRecord paused = release(id);
  EXPECT_EQ(paused.state, domain::ReleaseState::Paused);
  EXPECT_EQ(paused.state_reason.rfind("paused automatically: ", 0), 0u) << paused.state_reason;
  auto audit = audited("release.auto_pause");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "apiota");
  EXPECT_EQ(audit[0].subject, "release:" + std::to_string(id));
  EXPECT_EQ(audit[0].at, env_.now_ms());

  EXPECT_FALSE(end_attempt(3, id, AttemptEnd::Failed)) << "a paused release is paused once";
  EXPECT_EQ(audited("release.auto_pause").size(), 1u);
}

TEST_P(RolloutServiceTest, ASuccessPastAStagesMinimumsAdvancesItAndSoDoesTheSweep) {
  auto record = testing::release_record("p", "2.0.0");
  record.rollout_stages = {{10, 3600, 2}, {50, 600, 0}, {100, 0, 0}};
  record.rollout_percent = 10;
  record.stage_started_at = env_.now_ms();
  const std::int64_t id = add_release(record);

  EXPECT_FALSE(end_attempt(0, id, AttemptEnd::Succeeded));
  EXPECT_FALSE(end_attempt(1, id, AttemptEnd::Succeeded)) << "advanced before min_duration";
  env_.advance(3600s - 1ms);
  EXPECT_FALSE(end_attempt(2, id, AttemptEnd::Failed)) << "a failure never advances";
  EXPECT_EQ(rollouts_.sweep().advanced, 0u);
  EXPECT_EQ(release(id).stage_index, 0);

  env_.advance(1ms);
  EXPECT_TRUE(end_attempt(3, id, AttemptEnd::Succeeded));
  store::ReleaseRecord advanced = release(id);
  EXPECT_EQ(advanced.stage_index, 1);
  EXPECT_EQ(advanced.rollout_percent, 50);
  EXPECT_EQ(advanced.stage_started_at, env_.now_ms());
  auto audit = audited("release.stage");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "apiota");

  // The next stage wants no success, only time: the sweep advances it.
  env_.advance(600s - 1ms);
  EXPECT_EQ(rollouts_.sweep().advanced, 0u);
  env_.advance(1ms);
  EXPECT_EQ(rollouts_.sweep().advanced, 1u);
  advanced = release(id);
  EXPECT_EQ(advanced.stage_index, 2);
  EXPECT_EQ(advanced.rollout_percent, 100);
  EXPECT_EQ(audited("release.stage").size(), 2u);
  env_.advance(24h);
  EXPECT_EQ(rollouts_.sweep().advanced, 0u) << "advanced past the last stage";
}

TEST_P(RolloutServiceTest, TheSweepEndsAttemptsSilentPastStuckAfterAsStuck) {
  const std::int64_t id = add_release();
  start_attempt(0, id, domain::OtaStatus::Flashing);
  start_attempt(1, id, domain::OtaStatus::Pending);  // not in progress: never stuck
  CapturedLog log;

  env_.advance(60s);
  EXPECT_EQ(rollouts_.sweep().stuck, 0u) << "ended at stuck_after, not after it";
  EXPECT_TRUE(store_->find_device(device(0))->open_attempt);
  EXPECT_TRUE(log.lines().empty()) << "a sweep that did nothing logged";

  env_.advance(1ms);
  const SweepReport report = rollouts_.sweep();
  EXPECT_EQ(report.stuck, 1u);
  EXPECT_EQ(report.paused, 0u);
  EXPECT_FALSE(store_->find_device(device(0))->open_attempt);
  EXPECT_TRUE(store_->find_device(device(1))->open_attempt);
  auto outcomes = store_->release_outcomes("p");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].stuck, 1);

  auto logs = store_->list_ota_logs(device(0), 10);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].status, domain::OtaStatus::Failed);
  EXPECT_EQ(logs[0].from_version, "1.0.0");
  EXPECT_EQ(logs[0].to_version, "2.0.0");
  EXPECT_EQ(logs[0].received_at, env_.now_ms());
  EXPECT_EQ(logs[0].message.value_or("").rfind("apiota: no report since 'flashing'", 0), 0u);
  EXPECT_EQ(log.lines(),
            std::vector<std::string>{"rollout sweep: 1 stuck attempts ended, 0 releases paused, 0 stages advanced"});

  EXPECT_EQ(rollouts_.sweep().stuck, 0u) << "an attempt ended twice";
}

TEST_P(RolloutServiceTest, StuckAttemptsCountAsFailures) {
  const std::int64_t id = add_release();
  for (int i = 0; i < 3; ++i) start_attempt(i, id, domain::OtaStatus::Downloading);
  env_.advance(61s);
  const SweepReport report = rollouts_.sweep();
  EXPECT_EQ(report.stuck, 3u);
  EXPECT_EQ(report.paused, 1u);
  EXPECT_EQ(release(id).state, domain::ReleaseState::Paused);
  EXPECT_EQ(audited("release.auto_pause").size(), 1u);
}

TEST_P(RolloutServiceTest, AResumeRestartsTheSafetyWindow) {
  const std::int64_t id = add_release();
  for (int i = 0; i < 3; ++i) end_attempt(i, id, AttemptEnd::Failed);
  ASSERT_EQ(release(id).state, domain::ReleaseState::Paused);

  env_.advance(2h);  // the resume comes after the failures
  ReleaseChange resume;
  resume.state = domain::ReleaseState::Active;
  change_release(*store_, env_, "p", id, resume, "key_test", "release.resume");
  ASSERT_EQ(release(id).state, domain::ReleaseState::Active);

  EXPECT_FALSE(end_attempt(3, id, AttemptEnd::Failed)) << "failures from before the resume still count";
  EXPECT_FALSE(end_attempt(4, id, AttemptEnd::Failed));
  EXPECT_EQ(release(id).state, domain::ReleaseState::Active);
  EXPECT_TRUE(end_attempt(5, id, AttemptEnd::Failed)) << "judged afresh: 3 of 3 failed since the resume";
  EXPECT_EQ(audited("release.auto_pause").size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, RolloutServiceTest,
                         ::testing::Values(testing::sqlite_backend(), testing::postgres_backend()), testing::backend_name);

}  // namespace
}  // namespace apiota::service
