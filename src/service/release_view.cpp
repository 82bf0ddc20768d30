#include "service/release_view.h"

#include <algorithm>

namespace apiota::service {

domain::SafetyPolicy safety_policy(const store::ReleaseRecord& r) {
  domain::SafetyPolicy policy;
  policy.window = static_cast<std::size_t>(std::max<std::int64_t>(r.safety_window, 0));
  policy.max_failure_rate = r.max_failure_rate;
  policy.min_attempts = static_cast<std::size_t>(std::max<std::int64_t>(r.min_attempts, 0));
  policy.stuck_after = std::chrono::seconds(r.stuck_after_s);
  return policy;
}

std::vector<domain::RolloutStage> rollout_stages(const std::vector<store::RolloutStageRecord>& stages) {
  std::vector<domain::RolloutStage> out;
  for (const auto& stage : stages) {
    out.push_back({stage.percent, std::chrono::seconds(stage.min_duration_s), stage.min_successes});
  }
  return out;
}

std::vector<domain::RolloutStage> rollout_stages(const store::ReleaseRecord& r) { return rollout_stages(r.rollout_stages); }

std::optional<domain::ReleaseView> release_view(const store::ReleaseRecord& r) {
  auto version = domain::parse_semver(r.version);
  if (!version) return std::nullopt;
  domain::ReleaseView view;
  view.id = r.id;
  view.version = *version;
  view.channel = r.channel;
  view.state = r.state;
  view.secure_version = static_cast<std::uint32_t>(r.secure_version);
  view.targeting.percent = r.rollout_percent;
  view.targeting.tags = r.rollout_tags;
  view.targeting.device_ids = r.rollout_devices;
  view.rollback_target_id = r.rollback_target_id;
  return view;
}

}  // namespace apiota::service
