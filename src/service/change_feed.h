#pragma once
// ChangeFeed: what changed in each project, for the console's live events
// (GET /api/admin/events, docs/api.md). The services note every change as it
// is made: an OTA report (DeviceService), a release change by an operator or
// by the rollout automation (FleetAdministration, RolloutService: automatic
// pause, stage advance), a device registered or changed, an audit entry.
// Each note bumps one generation counter per kind of change and project,
// and for OTA reports and release changes remembers which releases (the
// newest kMaxRememberedReleases per kind and project).
//
// A reader subscribes to its project: a Subscription starts at the current
// generations and poll() returns what changed since its last poll, every
// kind at most once, however many changes of that kind there were
// (coalesced). Subscriptions are bounded per project and in all; subscribe()
// returns nullopt above either bound. A Subscription releases its place when
// destroyed and must not outlive its feed.
//
// note() costs one short lock, no I/O: it is on the path of OTA reports,
// never on check-update's. Thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace apiota::service {

enum class ChangeKind { Ota, Release, Device, Audit };
inline constexpr std::size_t kChangeKinds = 4;

// What changed since a subscription last polled.
struct Changes {
  std::array<bool, kChangeKinds> changed{};
  std::vector<std::int64_t> ota_release_ids;      // ascending
  std::vector<std::int64_t> changed_release_ids;  // ascending
  bool any() const;
  bool has(ChangeKind kind) const { return changed[static_cast<std::size_t>(kind)]; }
};

struct StreamLimits {
  std::size_t per_project = 16;
  std::size_t total = 256;
};

class ChangeFeed {
 public:
  static constexpr std::size_t kMaxRememberedReleases = 256;

  explicit ChangeFeed(StreamLimits limits = {}) : limits_(limits) {}
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // `release_ids` matter for Ota and Release only.
  void note(std::string_view project_id, ChangeKind kind, std::span<const std::int64_t> release_ids = {});
  // A release changed by an operator or the automation: a Release change and
  // its Audit entry.
  void note_release(std::string_view project_id, std::int64_t release_id);
  // A device changed by an operator: a Device change and its Audit entry.
  void note_device(std::string_view project_id);

  class Subscription {
   public:
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&&) = delete;
    ~Subscription();
    const std::string& project_id() const { return project_id_; }
    // What changed since the previous poll (or the subscription began).
    Changes poll();

   private:
    friend class ChangeFeed;
    Subscription(ChangeFeed& feed, std::string project_id, std::array<std::uint64_t, kChangeKinds> seen)
        : feed_(&feed), project_id_(std::move(project_id)), seen_(seen) {}
    ChangeFeed* feed_;
    std::string project_id_;
    std::array<std::uint64_t, kChangeKinds> seen_;
  };

  std::optional<Subscription> subscribe(std::string_view project_id);

 private:
  struct ProjectChanges {
    std::array<std::uint64_t, kChangeKinds> generation{};
    std::map<std::int64_t, std::uint64_t> ota_releases;      // release id -> generation of its last note
    std::map<std::int64_t, std::uint64_t> changed_releases;  // the same for release changes
    std::size_t subscribers = 0;
  };

  ProjectChanges& project_locked(std::string_view project_id);
  void unsubscribe(const std::string& project_id);

  const StreamLimits limits_;
  std::mutex mutex_;
  std::map<std::string, ProjectChanges, std::less<>> projects_;
  std::size_t subscribers_ = 0;
};

}  // namespace apiota::service
