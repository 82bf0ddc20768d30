// The rollout automation (service/rollout_service.h) on several nodes that
// share one PostgreSQL store: failures reported to two nodes at once pause a
// release once, never twice, and the sweep on two nodes at once advances a
// stage once.

#include <gtest/gtest.h>

#include <barrier>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "service/rollout_service.h"
#include "store/postgres/postgres_store.h"
#include "support/fake_env.h"
#include "support/fleet_records.h"
#include "support/postgres_cluster.h"

namespace apiota::service {
namespace {

using domain::AttemptEnd;

// One apiota node: its own connections to the store, clock and rollout service.
struct Node {
  explicit Node(const std::string& uri) : store(uri, 4), rollouts(store, env, changes) {}
  store::postgres::PostgresStore store;
  testing::FakeEnv env;
  ChangeFeed changes;
  RolloutService rollouts;
};

class RolloutNodes : public ::testing::Test {
 protected:
  RolloutNodes() : uri_(testing::shared_postgres().create_database()) {
    nodes_.push_back(std::make_unique<Node>(uri_));
    nodes_.push_back(std::make_unique<Node>(uri_));
    store().upsert_project({"p", "P", domain::Plan{}, 1});
    for (int i = 0; i < 3; ++i) {
      rows_.push_back(store().register_device(testing::device_record("p", "dev-" + std::to_string(i)), 100).device.row_id);
    }
  }

  store::Store& store() { return nodes_[0]->store; }

  std::int64_t add_release(const std::string& version) {
    store::ReleaseRecord release = testing::release_record("p", version);
    release.max_failure_rate = 0.5;
    release.safety_window = 4;
    release.min_attempts = 2;
    EXPECT_TRUE(store().insert_release(release, testing::upload_audit));
    return release.id;
  }

  void failed_attempt(int device, std::int64_t release_id, const std::string& version) {
    store::AttemptRecord a;
    a.project_id = "p";
    a.device_row_id = rows_[device];
    a.device_id = "dev-" + std::to_string(device);
    a.release_id = release_id;
    a.from_version = "1.0.0";
    a.target_version = version;
    a.status = domain::OtaStatus::Failed;
    a.status_at = a.started_at = nodes_[0]->env.now_ms();
    a.outcome = AttemptEnd::Failed;
    a.ended_at = a.started_at;
    EXPECT_TRUE(store().apply_attempt_write({a.started_at, std::nullopt, std::nullopt, std::nullopt, a}));
  }

  std::size_t audited(const std::string& action, std::int64_t release_id) {
    std::size_t n = 0;
    for (const auto& record : store().list_audit("p", 1000)) {
      n += record.action == action && record.subject == "release:" + std::to_string(release_id);
    }
    return n;
  }

  std::string uri_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::int64_t> rows_;
};

TEST_F(RolloutNodes, FailuresReportedToTwoNodesAtOncePauseTheReleaseOnce) {
  for (int round = 0; round < 10; ++round) {
    const std::string version = "2.0." + std::to_string(round);
    const std::int64_t id = add_release(version);
    failed_attempt(0, id, version);
    failed_attempt(1, id, version);
    std::barrier together(2);
    std::vector<std::thread> reporters;
    for (auto& node : nodes_) {
      reporters.emplace_back([&, node = node.get()] {
        together.arrive_and_wait();
        node->rollouts.attempt_ended("p", id, AttemptEnd::Failed, node->env.now_ms());
      });
    }
    for (auto& reporter : reporters) reporter.join();
    EXPECT_EQ(store().find_release("p", id)->state, domain::ReleaseState::Paused) << version;
    EXPECT_EQ(audited("release.auto_pause", id), 1u) << version << " was paused more than once";
  }
}

TEST_F(RolloutNodes, SweepsOnTwoNodesAtOnceAdvanceAStageOnce) {
  for (int round = 0; round < 10; ++round) {
    store::ReleaseRecord release = testing::release_record("p", "3.0." + std::to_string(round));
    release.rollout_stages = {{10, 0, 0}, {50, 3600, 0}, {100, 0, 0}};
    release.rollout_percent = 10;
    release.stage_started_at = nodes_[0]->env.now_ms() - 60'000;
    ASSERT_TRUE(store().insert_release(release, testing::upload_audit));
    std::barrier together(2);
    std::vector<std::thread> sweepers;
    for (auto& node : nodes_) {
      sweepers.emplace_back([&, node = node.get()] {
        together.arrive_and_wait();
        node->rollouts.sweep();
      });
    }
    for (auto& sweeper : sweepers) sweeper.join();
    EXPECT_EQ(store().find_release("p", release.id)->stage_index, 1) << release.version;
    EXPECT_EQ(audited("release.stage", release.id), 1u) << release.version << " advanced more than once";
  }
}

}  // namespace
}  // namespace apiota::service
