#pragma once

// Who a release is aimed at, and the staged schedule that widens it.
//
// A RolloutTargeting narrows a release to part of the fleet. is_targeted()
// returns true when a device may be offered the release: a device whose id is
// listed in `device_ids` always may (an operator naming devices means them,
// whatever the percentage); any other device must carry at least one of
// `tags` when `tags` is non-empty, and must be in_rollout(device_id,
// release_key, percent) (see domain/cohort.h). Matching of ids and tags is
// exact and case-sensitive. The default targeting (100%, no tags, no ids)
// targets every device.
//
// A rollout share is a percentage of the cohort buckets (domain/cohort.h):
// 10 000 buckets make its precision 0.01. validate_rollout_percent() returns
// an empty string for a share that is finite, in [0, 100] and a whole number
// of hundredths, otherwise a one-line message starting "percent must";
// nothing is rounded silently,
// so what the operator typed is what the fleet gets. 0 offers a release only
// to the devices listed by id.
//
// A schedule is a list of RolloutStages; the release's targeting percent is
// the current stage's percent. validate_stages() returns an empty string for
// a usable schedule, otherwise a one-line message naming the first problem:
// the schedule must have at least one stage; each percent must be a valid
// rollout share and not 0; percents must be strictly ascending; min_duration
// and min_successes must not be negative.
//
// next_stage() implements auto-advance: it returns progress.stage_index + 1
// when the current stage has lasted at least its min_duration (measured from
// progress.stage_started_at to `now`) AND has at least its min_successes
// successes, and the current stage is not the last one. It returns
// std::nullopt otherwise, including for an empty schedule or an index past
// its end. A `now` earlier than stage_started_at (clock skew between the
// writer and the reader) counts as no time elapsed. It does not decide
// whether the rollout is healthy; callers consult domain/rollout_safety.h
// first and do not advance a paused rollout.
//
// All functions are pure and safe to call concurrently. is_targeted() may
// throw std::runtime_error as in_rollout() does.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace apiota::domain {

struct RolloutStage {
  double percent;
  std::chrono::seconds min_duration{0};
  std::int64_t min_successes = 0;
};

struct RolloutTargeting {
  double percent = 100;
  std::vector<std::string> tags;
  std::vector<std::string> device_ids;
};

bool is_targeted(const RolloutTargeting& targeting, std::string_view device_id,
                 std::span<const std::string> device_tags, std::string_view release_key);

struct StageProgress {
  std::size_t stage_index;
  std::chrono::system_clock::time_point stage_started_at;
  std::int64_t successes_in_stage;
};

std::optional<std::size_t> next_stage(std::span<const RolloutStage> stages, const StageProgress& progress,
                                      std::chrono::system_clock::time_point now);

std::string validate_rollout_percent(double percent);

std::string validate_stages(std::span<const RolloutStage> stages);

}  // namespace apiota::domain
