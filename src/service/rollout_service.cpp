#include "service/rollout_service.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <vector>

#include "service/render.h"
#include "service/attempt_tracking.h"
#include "service/audit.h"
#include "service/release_view.h"
#include "domain/rollout_plan.h"
#include "domain/rollout_safety.h"

namespace apiota::service {
namespace {

using Clock = std::chrono::system_clock;

Clock::time_point at_ms(std::int64_t ms) { return Clock::time_point(std::chrono::milliseconds(ms)); }

bool store_change(store::Store& store, const store::ReleaseRecord& before, const store::ReleaseRecord& after,
                  std::string_view action, std::int64_t now) {
  auto audit = audit_record(before.project_id, kAutomationActor, action, "release:" + std::to_string(before.id),
                            render(before), render(after), now);
  return audit && store.update_release(after, *audit);
}

std::vector<domain::AttemptOutcome> outcomes_of(const std::vector<domain::AttemptEnd>& ends) {
  std::vector<domain::AttemptOutcome> out;
  for (domain::AttemptEnd end : ends) {
    if (auto outcome = domain::outcome_of(end)) out.push_back(*outcome);
  }
  return out;
}

}  // namespace

bool RolloutService::attempt_ended(std::string_view project_id, std::int64_t release_id, domain::AttemptEnd end,
                                   std::int64_t now) {
  auto outcome = domain::outcome_of(end);
  if (!outcome) return false;
  try {
    bool changed = false;
    decide([&] {
      changed = *outcome == domain::AttemptOutcome::Failure ? pause_if_unsafe(project_id, release_id, now)
                                                            : advance_if_due(project_id, release_id, now);
    });
    return changed;
  } catch (const std::exception& e) {
    spdlog::error("release {} of project {}: pausing or advancing it after an ended update attempt failed: {}",
                  release_id, project_id, e.what());
    return false;
  }
}

void RolloutService::decide(const std::function<void()>& decision) {
  std::lock_guard lock(mutex_);
  if (store::ClusterLock* cluster = store_.cluster_lock()) {
    cluster->exclusively("apiota.rollout", decision);
  } else {
    decision();
  }
}

bool RolloutService::pause_if_unsafe(std::string_view project_id, std::int64_t release_id, std::int64_t now) {
  auto release = store_.find_release(project_id, release_id);
  if (!release || release->state != domain::ReleaseState::Active) return false;
  const domain::SafetyPolicy policy = safety_policy(*release);
  auto outcomes = outcomes_of(
      store_.recent_attempt_outcomes(release_id, release->safety_since, static_cast<std::int64_t>(policy.window)));
  domain::SafetyVerdict verdict = domain::evaluate_safety(outcomes, policy);
  if (!verdict.pause) return false;
  store::ReleaseRecord after = *release;
  after.state = domain::ReleaseState::Paused;
  after.state_reason = "paused automatically: " + verdict.reason;
  if (!store_change(store_, *release, after, "release.auto_pause", now)) return false;
  changes_.note_release(project_id, release_id);
  spdlog::warn("release {} ({}) of project {} {}", release_id, release->version, project_id, after.state_reason);
  return true;
}

bool RolloutService::advance_if_due(std::string_view project_id, std::int64_t release_id, std::int64_t now) {
  auto release = store_.find_release(project_id, release_id);
  if (!release || release->state != domain::ReleaseState::Active) return false;
  const auto stages = rollout_stages(*release);
  if (stages.empty() || release->stage_index < 0) return false;
  domain::StageProgress progress{static_cast<std::size_t>(release->stage_index), at_ms(release->stage_started_at),
                                 store_.count_successes_since(release_id, release->stage_started_at)};
  auto next = domain::next_stage(stages, progress, at_ms(now));
  if (!next) return false;
  store::ReleaseRecord after = *release;
  after.stage_index = static_cast<std::int64_t>(*next);
  after.stage_started_at = now;
  after.rollout_percent = stages[*next].percent;
  if (!store_change(store_, *release, after, "release.stage", now)) return false;
  changes_.note_release(project_id, release_id);
  spdlog::info("release {} ({}) of project {} advanced to stage {} ({}%)", release_id, release->version, project_id,
               *next + 1, after.rollout_percent);
  return true;
}

SweepReport RolloutService::sweep() {
  const std::int64_t now = env_.now_ms();
  SweepReport report;
  for (const auto& attempt : store_.stale_attempts(now)) {
    store::AttemptWrite end{now, attempt.id, domain::AttemptEnd::Stuck, {}, {}};
    if (!store_.apply_attempt_write(end)) continue;
    ++report.stuck;
    store_.append_ota_log(unreported_failure_log(attempt, domain::AttemptEnd::Stuck, {}, now), std::nullopt,
                          store::AttemptWrite{});
    changes_.note(attempt.project_id, ChangeKind::Ota, std::span(&attempt.release_id, 1));
    if (attempt_ended(attempt.project_id, attempt.release_id, domain::AttemptEnd::Stuck, now)) ++report.paused;
  }
  decide([&] {
    for (const auto& project : store_.list_projects()) {
      for (const auto& release : store_.list_releases(project.id)) {
        if (release.rollout_stages.empty() || release.state != domain::ReleaseState::Active) continue;
        if (advance_if_due(project.id, release.id, now)) ++report.advanced;
      }
    }
  });
  if (report.stuck + report.paused + report.advanced > 0) {
    spdlog::info("rollout sweep: {} stuck attempts ended, {} releases paused, {} stages advanced", report.stuck,
                 report.paused, report.advanced);
  }
  return report;
}

}  // namespace apiota::service
