#include "service/change_feed.h"

#include <algorithm>
#include <utility>

namespace apiota::service {
namespace {

void remember(std::map<std::int64_t, std::uint64_t>& releases, std::span<const std::int64_t> ids,
              std::uint64_t generation) {
  for (std::int64_t id : ids) releases[id] = generation;
  while (releases.size() > ChangeFeed::kMaxRememberedReleases) {
    auto oldest = std::min_element(releases.begin(), releases.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
    releases.erase(oldest);
  }
}

std::vector<std::int64_t> noted_after(const std::map<std::int64_t, std::uint64_t>& releases, std::uint64_t seen) {
  std::vector<std::int64_t> out;
  for (const auto& [id, generation] : releases) {
    if (generation > seen) out.push_back(id);
  }
  return out;
}

}  // namespace

bool Changes::any() const { return std::any_of(changed.begin(), changed.end(), [](bool c) { return c; }); }

ChangeFeed::ProjectChanges& ChangeFeed::project_locked(std::string_view project_id) {
  auto it = projects_.find(project_id);
  if (it == projects_.end()) it = projects_.emplace(std::string(project_id), ProjectChanges{}).first;
  return it->second;
}

void ChangeFeed::note(std::string_view project_id, ChangeKind kind, std::span<const std::int64_t> release_ids) {
  std::lock_guard lock(mutex_);
  ProjectChanges& project = project_locked(project_id);
  const std::uint64_t generation = ++project.generation[static_cast<std::size_t>(kind)];
  if (kind == ChangeKind::Ota) remember(project.ota_releases, release_ids, generation);
  if (kind == ChangeKind::Release) remember(project.changed_releases, release_ids, generation);
}

void ChangeFeed::note_release(std::string_view project_id, std::int64_t release_id) {
  note(project_id, ChangeKind::Release, std::span(&release_id, 1));
  note(project_id, ChangeKind::Audit);
}

void ChangeFeed::note_device(std::string_view project_id) {
  note(project_id, ChangeKind::Device);
  note(project_id, ChangeKind::Audit);
}

std::optional<ChangeFeed::Subscription> ChangeFeed::subscribe(std::string_view project_id) {
  std::lock_guard lock(mutex_);
  ProjectChanges& project = project_locked(project_id);
  if (subscribers_ >= limits_.total || project.subscribers >= limits_.per_project) return std::nullopt;
  ++subscribers_;
  ++project.subscribers;
  return Subscription(*this, std::string(project_id), project.generation);
}

void ChangeFeed::unsubscribe(const std::string& project_id) {
  std::lock_guard lock(mutex_);
  --subscribers_;
  --project_locked(project_id).subscribers;
}

ChangeFeed::Subscription::Subscription(Subscription&& other) noexcept
    : feed_(std::exchange(other.feed_, nullptr)), project_id_(std::move(other.project_id_)), seen_(other.seen_) {}

ChangeFeed::Subscription::~Subscription() {
  if (feed_ != nullptr) feed_->unsubscribe(project_id_);
}

Changes ChangeFeed::Subscription::poll() {
  Changes out;
  std::lock_guard lock(feed_->mutex_);
  const ProjectChanges& project = feed_->project_locked(project_id_);
  for (std::size_t kind = 0; kind < kChangeKinds; ++kind) {
    out.changed[kind] = project.generation[kind] > seen_[kind];
  }
  if (out.has(ChangeKind::Ota)) {
    out.ota_release_ids = noted_after(project.ota_releases, seen_[static_cast<std::size_t>(ChangeKind::Ota)]);
  }
  if (out.has(ChangeKind::Release)) {
    out.changed_release_ids =
        noted_after(project.changed_releases, seen_[static_cast<std::size_t>(ChangeKind::Release)]);
  }
  seen_ = project.generation;
  return out;
}

}  // namespace apiota::service
