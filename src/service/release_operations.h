#pragma once
// Operator changes to a release, shared by the admin API and the CLI so both
// apply the same rules and leave the same audit trail.
//
// change_release() loads release `id` of `project_id`, applies the change,
// validates the result, and stores it together with an audit record (actor,
// action, the release before and after). Throws ApiError: NOT_FOUND for a
// release outside the project, INVALID_PARAMETER for a rollout share that
// checked_rollout_percent() refuses, notes over 64 KiB, a malformed tag or
// device id (or over 1000 of them), INVALID_PARAMETER with the domain's reason
// for a rollback target that devices could not install (another project,
// revoked, same version, lower secure_version), for safety settings out of
// range, for a schedule domain::validate_stages() refuses, and for a change
// giving both rollout_percent and stages.
//
// A schedule sets rollout_percent to its first stage's and starts it now;
// setting rollout_percent by hand ends the schedule. Resuming (state Active)
// restarts the safety window: only attempts ended from then on count, so a
// release paused for failures is judged afresh.
//
// Revoking a release without a rollback target picks one: the newest active
// release of the same channel below it that validate_rollback_target()
// accepts (none if there is none; devices then stay put until one is named).
// Revoking also ends every open update attempt on the release, as ended by
// revocation (Store::update_release): its devices are free at their next
// poll, and the revocation counts as none of their failures.
//
// The field rules below are shared with new releases
// (service/release_publication.h); each throws INVALID_PARAMETER:
// check_notes() refuses notes over kMaxNotesBytes; checked_rollout_percent()
// a share domain::validate_rollout_percent() refuses (0..100 in steps of
// 0.01: a finer one is refused, never rounded); checked_stages() a schedule
// domain::validate_stages() refuses. Both return the shares as stored: the
// exact nearest hundredth (0.29 may arrive as 0.28999999999999998).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/release_decision.h"
#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

inline constexpr std::size_t kMaxNotesBytes = 64 * 1024;

void check_notes(std::string_view notes);
double checked_rollout_percent(double percent);
std::vector<store::RolloutStageRecord> checked_stages(std::vector<store::RolloutStageRecord> stages);

// Safety settings to change; unset fields keep their value.
struct SafetyChange {
  std::optional<double> max_failure_rate;  // 0..1
  std::optional<std::int64_t> window;      // 1..10000 attempts
  std::optional<std::int64_t> min_attempts;  // 1..window
  std::optional<std::int64_t> stuck_after_s;  // 1 s..30 days
};

struct ReleaseChange {
  std::optional<std::string> notes;
  std::optional<double> rollout_percent;
  std::optional<std::vector<std::string>> rollout_tags;     // each a valid tag
  std::optional<std::vector<std::string>> rollout_devices;  // each a valid device id
  std::optional<std::int64_t> rollback_target_id;
  std::optional<domain::ReleaseState> state;
  std::string reason;  // recorded with a state change
  SafetyChange safety;
  // A stage schedule (starts at its first stage now); empty clears it.
  std::optional<std::vector<store::RolloutStageRecord>> stages;
};

store::ReleaseRecord change_release(store::Store& store, env::Env& env, std::string_view project_id, std::int64_t id,
                                    const ReleaseChange& change, std::string_view actor, std::string_view action);

// Offers the same firmware on another channel (e.g. beta -> stable) without
// re-uploading: a new active release sharing the blob, with the source's
// notes, audited as "release.promote" in the insert's transaction. Throws
// ApiError: NOT_FOUND, INVALID_CHANNEL, VERSION_EXISTS when that channel
// already has the version.
store::ReleaseRecord promote_release(store::Store& store, env::Env& env, std::string_view project_id, std::int64_t id,
                                     std::string_view channel, std::string_view actor);

// Deletes a release nobody needs, audited as "release.delete", and returns
// it. Throws ApiError: NOT_FOUND, RELEASE_IN_USE while a device of the
// project runs its version or a release names it as rollback target. The
// firmware file stays until no release references it (the caller or the next
// start-up removes it).
store::ReleaseRecord delete_release(store::Store& store, env::Env& env, std::string_view project_id, std::int64_t id,
                                    std::string_view actor);

}  // namespace apiota::service
