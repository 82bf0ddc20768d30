#include "domain/rollout_plan.h"

#include <algorithm>
#include <cmath>

#include "domain/cohort.h"

namespace apiota::domain {
namespace {

// Percents finer than one cohort bucket would be silently rounded; refusing
// them keeps what the operator typed equal to what the fleet gets.
bool is_whole_hundredths(double percent) {
  const double hundredths = percent * 100;
  return std::fabs(hundredths - std::round(hundredths)) < 1e-6;
}

std::string stage_label(std::size_t index) { return "stage " + std::to_string(index + 1); }

}  // namespace

bool is_targeted(const RolloutTargeting& targeting, std::string_view device_id,
                 std::span<const std::string> device_tags, std::string_view release_key) {
  if (std::find(targeting.device_ids.begin(), targeting.device_ids.end(), device_id) != targeting.device_ids.end()) {
    return true;
  }
  if (!targeting.tags.empty()) {
    const bool tagged = std::any_of(device_tags.begin(), device_tags.end(), [&](const std::string& tag) {
      return std::find(targeting.tags.begin(), targeting.tags.end(), tag) != targeting.tags.end();
    });
    if (!tagged) return false;
  }
  return in_rollout(device_id, release_key, targeting.percent);
}

std::optional<std::size_t> next_stage(std::span<const RolloutStage> stages, const StageProgress& progress,
                                      std::chrono::system_clock::time_point now) {
  if (progress.stage_index + 1 >= stages.size()) return std::nullopt;
  const RolloutStage& stage = stages[progress.stage_index];
  const auto elapsed = std::max(now - progress.stage_started_at, std::chrono::system_clock::duration::zero());
  if (elapsed < stage.min_duration) return std::nullopt;
  if (progress.successes_in_stage < stage.min_successes) return std::nullopt;
  return progress.stage_index + 1;
}

std::string validate_rollout_percent(double percent) {
  if (!std::isfinite(percent) || percent < 0 || percent > 100) return "percent must be between 0 and 100";
  if (!is_whole_hundredths(percent)) return "percent must have at most two decimals (steps of 0.01)";
  return {};
}

std::string validate_stages(std::span<const RolloutStage> stages) {
  if (stages.empty()) return "a rollout schedule needs at least one stage";
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const RolloutStage& stage = stages[i];
    if (stage.percent == 0) return stage_label(i) + ": percent must be greater than 0";
    if (auto problem = validate_rollout_percent(stage.percent); !problem.empty()) {
      return stage_label(i) + ": " + problem;
    }
    if (i > 0 && stage.percent <= stages[i - 1].percent) {
      return stage_label(i) + ": percents must be strictly ascending";
    }
    if (stage.min_duration < std::chrono::seconds::zero()) {
      return stage_label(i) + ": min_duration must not be negative";
    }
    if (stage.min_successes < 0) return stage_label(i) + ": min_successes must not be negative";
  }
  return {};
}

}  // namespace apiota::domain
