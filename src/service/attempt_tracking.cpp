#include "service/attempt_tracking.h"

#include <chrono>

namespace apiota::service {

std::optional<domain::OpenAttempt> open_attempt_of(const store::DeviceRecord& device) {
  if (!device.open_attempt) return std::nullopt;
  const store::AttemptRecord& a = *device.open_attempt;
  auto target = domain::parse_semver(a.target_version);
  if (!target) return std::nullopt;
  std::optional<domain::SemVer> from;
  if (a.from_version) from = domain::parse_semver(*a.from_version);
  return domain::OpenAttempt{{a.release_id, *target},
                             from,
                             a.status,
                             std::chrono::system_clock::time_point(std::chrono::milliseconds(a.status_at))};
}

const store::ReleaseRecord* release_named_by(std::span<const store::ReleaseRecord> releases,
                                             const store::DeviceRecord& device, const domain::SemVer& to_version,
                                             const std::optional<domain::OpenAttempt>& open) {
  const store::ReleaseRecord* best = nullptr;
  int best_rank = 0;
  for (const auto& release : releases) {
    auto version = domain::parse_semver(release.version);
    if (!version || !domain::same_precedence(*version, to_version)) continue;
    // Lower rank wins: the open attempt's release, then followed channels
    // from the most stable, then the rest; the newest id breaks ties.
    int rank = 10;
    if (open && open->release.id == release.id) {
      rank = 0;
    } else if (domain::channel_offers(device.channel, release.channel)) {
      rank = 1 + static_cast<int>(release.channel);
    }
    if (best == nullptr || rank < best_rank || (rank == best_rank && release.id > best->id)) {
      best = &release;
      best_rank = rank;
    }
  }
  return best;
}

store::AttemptWrite attempt_write(const domain::AttemptStep& step, const store::DeviceRecord& device,
                                  domain::OtaStatus status, const std::optional<std::string>& from_version,
                                  std::int64_t now) {
  store::AttemptWrite write;
  write.at = now;
  if (device.open_attempt) write.open_id = device.open_attempt->id;
  write.end_open = step.end_open;
  if (step.touch_open) write.touch_status = status;
  if (step.start) {
    store::AttemptRecord a;
    a.project_id = device.project_id;
    a.device_row_id = device.row_id;
    a.device_id = device.device_id;
    a.release_id = step.start->release.id;
    a.from_version = from_version ? from_version : device.firmware_version;
    a.target_version = step.start->release.version.to_string();
    a.status = status;
    a.status_at = now;
    a.started_at = now;
    if (step.start->ended) {
      a.outcome = step.start->ended;
      a.ended_at = now;
    }
    write.start = std::move(a);
  }
  return write;
}

store::OtaLogRecord unreported_failure_log(const store::AttemptRecord& attempt, domain::AttemptEnd end,
                                           std::string_view running, std::int64_t now) {
  std::string message =
      end == domain::AttemptEnd::RolledBack
          ? "apiota: bootloader rollback detected: the device rebooted into " + attempt.target_version + " but runs " +
                std::string(running) + " again; that release will not be offered to it again"
          : "apiota: no report since '" + std::string(domain::to_string(attempt.status)) +
                "' for longer than the release's stuck_after; counted as a failed (stuck) update";
  return {0,
          attempt.device_id,
          attempt.project_id,
          domain::OtaStatus::Failed,
          attempt.from_version,
          attempt.target_version,
          std::move(message), now};
}

}  // namespace apiota::service
