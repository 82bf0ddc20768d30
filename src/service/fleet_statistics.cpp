#include "service/fleet_statistics.h"

#include <algorithm>
#include <functional>
#include <set>

#include "domain/cohort.h"
#include "domain/rollout_audience.h"

namespace apiota::service {
namespace {

std::size_t outcome_slot(domain::AttemptEnd outcome) {
  switch (outcome) {
    case domain::AttemptEnd::Succeeded: return 0;
    case domain::AttemptEnd::Failed: return 1;
    case domain::AttemptEnd::Stuck: return 2;
    default: return 3;  // RolledBack: the store returns no other outcome
  }
}

// An active or paused release with a partial share or a schedule.
bool rolling_out(const store::ReleaseRecord& release) {
  return release.rollout_percent < 100 || !release.rollout_stages.empty();
}

domain::AudienceRelease audience_release(const store::ReleaseRecord& release) {
  return domain::AudienceRelease{release.id, release.channel,
                                 domain::RolloutTargeting{release.rollout_percent, release.rollout_tags,
                                                          release.rollout_devices}};
}

}  // namespace

template <class Key, class T>
SnapshotCache<T>& FleetStatistics::cache_for(std::map<Key, std::unique_ptr<SnapshotCache<T>>>& caches,
                                             const Key& key) {
  std::lock_guard lock(caches_mutex_);
  auto& slot = caches[key];
  if (!slot) slot = std::make_unique<SnapshotCache<T>>(env_);
  return *slot;
}

std::shared_ptr<const FleetOverview> FleetStatistics::overview(const std::string& project_id) {
  return cache_for(overviews_, project_id).get([this, project_id] { return compute_overview(project_id); });
}

std::shared_ptr<const OutcomeSeries> FleetStatistics::outcomes(const std::string& project_id, OutcomeBucket bucket,
                                                               std::int64_t span) {
  return cache_for(outcome_series_, std::make_tuple(project_id, bucket, span))
      .get([this, project_id, bucket, span] { return compute_outcomes(project_id, bucket, span); });
}

std::shared_ptr<const ReleaseProgress> FleetStatistics::progress(const store::ReleaseRecord& release) {
  return cache_for(progresses_, release.id).get([this, project_id = release.project_id, id = release.id] {
    return compute_progress(project_id, id);
  });
}

FleetOverview FleetStatistics::compute_overview(const std::string& project_id) {
  FleetOverview out;
  out.generated_at = env_.now_ms();
  out.devices = store_.fleet_counts(project_id, out.generated_at - domain::kHourMs, out.generated_at - domain::kDayMs);
  out.versions = store_.version_counts(project_id);
  std::stable_sort(out.versions.begin(), out.versions.end(), [](const auto& a, const auto& b) {
    return static_cast<int>(a.channel) < static_cast<int>(b.channel);
  });
  std::vector<store::ReleaseRecord> releases = store_.list_releases(project_id);
  std::sort(releases.begin(), releases.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  for (store::ReleaseRecord& release : releases) {
    if (release.state == domain::ReleaseState::Revoked) continue;
    if (!rolling_out(release) && !store_.has_open_attempt(release.id)) continue;
    auto release_progress = progress(release);
    out.rollouts.push_back(RolloutSummary{std::move(release), std::move(release_progress)});
  }
  return out;
}

OutcomeSeries FleetStatistics::compute_outcomes(const std::string& project_id, OutcomeBucket bucket,
                                                std::int64_t span) {
  OutcomeSeries out;
  out.generated_at = env_.now_ms();
  out.span = domain::bucket_span(out.generated_at, bucket == OutcomeBucket::Day ? domain::kDayMs : domain::kHourMs,
                                 span);
  out.counts.assign(static_cast<std::size_t>(span), {0, 0, 0, 0});
  for (const store::OutcomeCount& row : store_.outcome_counts(project_id, out.span.first_start_ms, out.span.width_ms)) {
    if (auto index = domain::bucket_index(out.span, row.bucket_start)) {
      out.counts[*index][outcome_slot(row.outcome)] += row.attempts;
    }
  }
  return out;
}

ReleaseProgress FleetStatistics::compute_progress(const std::string& project_id, std::int64_t release_id) {
  ReleaseProgress out;
  out.release_id = release_id;
  out.generated_at = env_.now_ms();
  // Read afresh: the share or targeting may have changed since the caller found it.
  auto release = store_.find_release(project_id, release_id);
  if (!release) return out;
  out.eligible = count_eligible(*release);
  out.attempts = store_.attempt_counts(release_id);
  return out;
}

// Listed devices are looked up one by one (their tags do not matter); every
// other device comes from the unblocked devices on the channels the release
// reaches, carrying one of its tags, then the cohort rule. With no listed
// device and the whole share, that is a count; otherwise one walk, hashing
// each device.
std::int64_t FleetStatistics::count_eligible(const store::ReleaseRecord& release) {
  const std::vector<domain::Channel> channels = domain::audience_channels(release.channel);
  if (release.rollout_devices.empty() && release.rollout_percent >= 100) {
    return store_.count_unblocked_devices(release.project_id, channels, release.rollout_tags);
  }
  const domain::AudienceRelease audience = audience_release(release);
  const std::set<std::string, std::less<>> listed(release.rollout_devices.begin(), release.rollout_devices.end());
  std::int64_t eligible = 0;
  for (const std::string& device_id : listed) {
    auto device = store_.find_device(device_id);
    if (!device || device->project_id != release.project_id) continue;
    eligible += domain::in_audience(audience, domain::AudienceDevice{device->device_id, device->channel,
                                                                     device->blocked, {}});
  }
  if (!(release.rollout_percent > 0)) return eligible;
  const std::string release_key = std::to_string(release.id);
  store_.for_each_unblocked_device(release.project_id, channels, release.rollout_tags, [&](std::string_view id) {
    if (listed.contains(id)) return;
    eligible += domain::in_rollout(id, release_key, release.rollout_percent);
  });
  return eligible;
}

}  // namespace apiota::service
