#pragma once
// Mapping between stored releases and the domain's view of them (the input of
// domain::decide_release).

#include <optional>
#include <string_view>
#include <vector>

#include "domain/release_decision.h"
#include "domain/rollout_plan.h"
#include "domain/rollout_safety.h"
#include "store/records.h"

namespace apiota::service {

// Nullopt if the stored version no longer parses (the store reads an unknown
// state as Paused and an unknown channel as Dev, so a damaged row is offered
// to no one or to dev devices only).
std::optional<domain::ReleaseView> release_view(const store::ReleaseRecord& release);

// The release's safety settings and stage schedule as the domain takes them.
domain::SafetyPolicy safety_policy(const store::ReleaseRecord& release);
std::vector<domain::RolloutStage> rollout_stages(const store::ReleaseRecord& release);
std::vector<domain::RolloutStage> rollout_stages(const std::vector<store::RolloutStageRecord>& stages);

}  // namespace apiota::service
