#include "service/release_operations.h"

#include <boost/json.hpp>

#include <cmath>

#include "service/render.h"
#include "domain/identifiers.h"
#include "service/api_error.h"
#include "service/audit.h"
#include "service/firmware_url.h"
#include "service/release_view.h"

namespace apiota::service {
namespace {

constexpr std::size_t kMaxTargets = 1000;

std::vector<std::string> checked_list(const std::vector<std::string>& items, bool (*valid)(std::string_view),
                                      std::string_view what) {
  if (items.size() > kMaxTargets) throw ApiError(ErrorCode::InvalidParameter, "at most 1000 " + std::string(what));
  for (const auto& item : items) {
    if (!valid(item)) throw ApiError(ErrorCode::InvalidParameter, "invalid " + std::string(what) + ": " + item);
  }
  return items;
}

// The newest active release of `revoked`'s channel below it that devices
// could install instead.
std::optional<std::int64_t> default_rollback_target(store::Store& store, const domain::ReleaseView& revoked,
                                                    std::string_view project_id) {
  std::optional<domain::ReleaseView> best;
  for (const auto& record : store.list_releases(project_id)) {
    auto view = release_view(record);
    if (!view || view->channel != revoked.channel || view->state != domain::ReleaseState::Active) continue;
    if (domain::compare(view->version, revoked.version) >= 0) continue;
    if (!domain::validate_rollback_target(revoked, *view).empty()) continue;
    if (!best || domain::compare(view->version, best->version) > 0) best = view;
  }
  if (!best) return std::nullopt;
  return best->id;
}

void apply_safety(const SafetyChange& change, store::ReleaseRecord& release) {
  if (change.max_failure_rate) {
    const double rate = *change.max_failure_rate;
    if (!std::isfinite(rate) || rate < 0 || rate > 1) {
      throw ApiError(ErrorCode::InvalidParameter, "max_failure_rate must be between 0 and 1");
    }
    release.max_failure_rate = rate;
  }
  if (change.window) {
    if (*change.window < 1 || *change.window > 10000) {
      throw ApiError(ErrorCode::InvalidParameter, "window must be between 1 and 10000 attempts");
    }
    release.safety_window = *change.window;
  }
  if (change.min_attempts) release.min_attempts = *change.min_attempts;
  if (release.min_attempts < 1 || release.min_attempts > release.safety_window) {
    throw ApiError(ErrorCode::InvalidParameter, "min_attempts must be between 1 and the window");
  }
  if (change.stuck_after_s) {
    if (*change.stuck_after_s < 1 || *change.stuck_after_s > 30 * 24 * 3600) {
      throw ApiError(ErrorCode::InvalidParameter, "stuck_after_seconds must be between 1 and 2592000 (30 days)");
    }
    release.stuck_after_s = *change.stuck_after_s;
  }
}

}  // namespace

void check_notes(std::string_view notes) {
  if (notes.size() > kMaxNotesBytes) throw ApiError(ErrorCode::InvalidParameter, "notes exceed 64 KiB");
}

double checked_rollout_percent(double percent) {
  if (auto problem = domain::validate_rollout_percent(percent); !problem.empty()) {
    throw ApiError(ErrorCode::InvalidParameter, "rollout_" + problem);
  }
  return std::round(percent * 100) / 100;
}

std::vector<store::RolloutStageRecord> checked_stages(std::vector<store::RolloutStageRecord> stages) {
  if (auto problem = domain::validate_stages(rollout_stages(stages)); !problem.empty()) {
    throw ApiError(ErrorCode::InvalidParameter, problem);
  }
  for (auto& stage : stages) stage.percent = std::round(stage.percent * 100) / 100;
  return stages;
}

store::ReleaseRecord change_release(store::Store& store, env::Env& env, std::string_view project_id, std::int64_t id,
                                    const ReleaseChange& change, std::string_view actor, std::string_view action) {
  auto before = store.find_release(project_id, id);
  if (!before) throw ApiError(ErrorCode::NotFound, "no such release");
  store::ReleaseRecord after = *before;
  if (change.notes) {
    check_notes(*change.notes);
    after.notes = *change.notes;
  }
  if (change.rollout_percent) after.rollout_percent = checked_rollout_percent(*change.rollout_percent);
  if (change.rollout_tags) after.rollout_tags = checked_list(*change.rollout_tags, domain::is_valid_tag, "tags");
  if (change.rollout_devices) {
    after.rollout_devices = checked_list(*change.rollout_devices, domain::is_valid_device_id, "device ids");
  }
  if (change.state) {
    after.state = *change.state;
    after.state_reason = change.reason;
  }
  if (change.rollback_target_id) after.rollback_target_id = *change.rollback_target_id;
  apply_safety(change.safety, after);
  if (change.stages) {
    if (change.rollout_percent) {
      throw ApiError(ErrorCode::InvalidParameter, "give rollout_percent or stages, not both");
    }
    after.rollout_stages = change.stages->empty() ? *change.stages : checked_stages(*change.stages);
    after.stage_index = 0;
    after.stage_started_at = env.now_ms();
    if (!after.rollout_stages.empty()) after.rollout_percent = after.rollout_stages.front().percent;
  } else if (change.rollout_percent) {
    after.rollout_stages.clear();
    after.stage_index = 0;
  }
  if (change.state == domain::ReleaseState::Active && before->state != domain::ReleaseState::Active) {
    after.safety_since = env.now_ms();
  }

  auto view = release_view(after);
  if (!view) throw ApiError(ErrorCode::InternalError, "stored release is unreadable");
  if (view->state == domain::ReleaseState::Revoked && !after.rollback_target_id) {
    after.rollback_target_id = default_rollback_target(store, *view, project_id);
  }
  if (after.rollback_target_id && after.rollback_target_id != before->rollback_target_id) {
    auto target = store.find_release(project_id, *after.rollback_target_id);
    auto target_view = target ? release_view(*target) : std::nullopt;
    if (!target_view) throw ApiError(ErrorCode::InvalidParameter, "the rollback target is not a release of this project");
    if (auto problem = domain::validate_rollback_target(*view, *target_view); !problem.empty()) {
      throw ApiError(ErrorCode::InvalidParameter, problem);
    }
  }

  auto audit = audit_record(project_id, actor, action, "release:" + std::to_string(id), render(*before), render(after),
                            env.now_ms());
  if (!audit) return *before;  // nothing changes: nothing to store or record
  if (!store.update_release(after, *audit)) throw ApiError(ErrorCode::NotFound, "no such release");
  return after;
}

store::ReleaseRecord delete_release(store::Store& store, env::Env& env, std::string_view project_id, std::int64_t id,
                                    std::string_view actor) {
  auto release = store.find_release(project_id, id);
  if (!release) throw ApiError(ErrorCode::NotFound, "no such release");
  auto audit = audit_record(project_id, actor, "release.delete", "release:" + std::to_string(id), render(*release),
                            nullptr, env.now_ms());
  switch (store.delete_release(project_id, id, *audit)) {
    case store::Store::DeleteOutcome::Deleted:
      return *release;
    case store::Store::DeleteOutcome::InUse:
      throw ApiError(ErrorCode::ReleaseInUse,
                     "devices still run " + release->version + " or a release rolls back to it; revoke it instead");
    case store::Store::DeleteOutcome::NotFound:
      break;
  }
  throw ApiError(ErrorCode::NotFound, "no such release");
}

store::ReleaseRecord promote_release(store::Store& store, env::Env& env, std::string_view project_id, std::int64_t id,
                                     std::string_view channel, std::string_view actor) {
  auto source = store.find_release(project_id, id);
  if (!source) throw ApiError(ErrorCode::NotFound, "no such release");
  auto target_channel = domain::parse_channel(channel);
  if (!target_channel) throw ApiError(ErrorCode::InvalidChannel, "channel must be stable, beta or dev");
  store::ReleaseRecord promoted = *source;
  promoted.id = 0;
  promoted.channel = *target_channel;
  promoted.filename = release_filename(promoted.project_id, promoted.version, promoted.channel);
  promoted.uploaded_by = std::string(actor);
  promoted.uploaded_at = env.now_ms();
  promoted.state = domain::ReleaseState::Active;
  promoted.state_reason.clear();
  promoted.rollout_percent = 100;
  promoted.rollout_tags.clear();
  promoted.rollout_devices.clear();
  promoted.rollout_stages.clear();
  promoted.stage_index = 0;
  promoted.safety_since = 0;
  promoted.rollback_target_id.reset();
  const auto audit_of = [&](const store::ReleaseRecord& inserted) {
    return audit_record(project_id, actor, "release.promote", "release:" + std::to_string(inserted.id), render(*source),
                        render(inserted), env.now_ms())
        .value();
  };
  if (!store.insert_release(promoted, audit_of)) {
    throw ApiError(ErrorCode::VersionExists,
                   "version " + promoted.version + " already exists on channel " +
                       std::string(domain::to_string(promoted.channel)));
  }
  return promoted;
}

}  // namespace apiota::service
