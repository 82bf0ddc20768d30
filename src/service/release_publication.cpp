#include "service/firmware_files.h"
#include "service/release_publication.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "service/blob_cleanup.h"
#include "service/release_operations.h"
#include "service/render.h"
#include "service/api_error.h"
#include "service/audit.h"
#include "service/firmware_url.h"
#include "service/release_view.h"
#include "domain/esp_image.h"

namespace apiota::service {
namespace {

// Anti-rollback devices burn a release's secure_version into eFuse once
// they run it: raising it is irreversible for the fleet, so say so.
std::optional<std::string> secure_version_warning(store::Store& store, const store::ReleaseRecord& release) {
  std::optional<std::int64_t> highest;
  for (const auto& existing : store.list_releases(release.project_id)) {
    highest = std::max(highest.value_or(0), existing.secure_version);
  }
  if (!highest || release.secure_version <= *highest) return std::nullopt;
  return "secure_version rises from " + std::to_string(*highest) + " to " + std::to_string(release.secure_version) +
         ": devices with anti-rollback that install this release can never go back below it";
}

// A device that reports the version its image was built with would poll
// with the image's version after installing the release, and be offered it
// again, forever.
std::optional<std::string> image_version_warning(const store::ReleaseRecord& release, const domain::SemVer& version) {
  auto own = domain::parse_semver(release.image_version);
  if (!own || domain::same_precedence(*own, version)) return std::nullopt;
  return "the image's app descriptor says version " + own->to_string() + ", not " + release.version +
         ": a device that reports its image's version would be offered this release again after installing it";
}

void apply_start(const ReleaseStart& start, std::int64_t now, store::ReleaseRecord& release) {
  release.state = start.state;
  if (start.state == domain::ReleaseState::Paused) release.state_reason = "uploaded paused";
  release.notes = start.notes;
  release.rollout_percent = start.rollout_percent.value_or(100);
  release.rollout_stages = start.stages;
  release.stage_index = 0;
  release.stage_started_at = now;
  if (!start.stages.empty()) release.rollout_percent = start.stages.front().percent;
}

// Inserts the release of a committed blob; when the insert is refused or
// throws, the blob is removed again (unless another release shares it), so
// that a refused or failed upload leaves no file. A failure of that removal
// leaves an orphan for start-up cleanup and does not hide the insert's error.
bool insert_or_remove_blob(const ReleaseDestination& destination, store::ReleaseRecord& release,
                           const store::ReleaseStore::AuditOfInsert& audit_of) {
  bool inserted = false;
  try {
    inserted = destination.store.insert_release(release, audit_of);
  } catch (...) {
    try {
      remove_unreferenced_blob(destination.store, destination.blobs, release.sha256);
    } catch (const std::exception& e) {
      spdlog::warn("firmware {} left for start-up cleanup: {}", release.sha256, e.what());
    }
    throw;
  }
  if (!inserted) remove_unreferenced_blob(destination.store, destination.blobs, release.sha256);
  return inserted;
}

}  // namespace

domain::SemVer release_version(std::optional<std::string_view> text) {
  if (!text || text->empty()) throw ApiError(ErrorCode::MissingParameter, "version is required");
  auto version = domain::parse_semver(*text);
  if (!version) throw ApiError(ErrorCode::InvalidVersion, "version is not a semantic version (e.g. 1.2.0)");
  return *version;
}

domain::Channel release_channel(std::string_view text) {
  auto channel = domain::parse_channel(text);
  if (!channel) throw ApiError(ErrorCode::InvalidChannel, "channel must be stable, beta or dev");
  return *channel;
}

domain::ReleaseState starting_state(std::string_view text) {
  auto state = domain::parse_release_state(text);
  if (!state || *state == domain::ReleaseState::Revoked) {
    throw ApiError(ErrorCode::InvalidParameter, "state must be active or paused");
  }
  return *state;
}

ReleaseStart checked_release_start(ReleaseStart start) {
  check_notes(start.notes);
  if (start.rollout_percent) start.rollout_percent = checked_rollout_percent(*start.rollout_percent);
  if (!start.stages.empty()) {
    if (start.rollout_percent) throw ApiError(ErrorCode::InvalidParameter, "give rollout_percent or stages, not both");
    start.stages = checked_stages(std::move(start.stages));
  }
  return start;
}

void check_firmware_size(const domain::Plan& plan, std::uint64_t size) {
  if (size > static_cast<std::uint64_t>(plan.max_firmware_bytes)) {
    throw ApiError(ErrorCode::PayloadTooLarge,
                   "firmware larger than the plan's limit of " + std::to_string(plan.max_firmware_bytes) + " bytes");
  }
}

PublishedRelease publish_release(const ReleaseDestination& destination, const store::ProjectRecord& project,
                                 const ReleaseRequest& request, ReleaseFile& file, std::string_view actor) {
  const ReleaseStart start = checked_release_start(request.start);
  check_firmware_size(project.plan, file.blob.size());
  blob::FileByteSource source(file.blob.fd(), file.blob.size());
  domain::EspImageCheck check = domain::inspect_esp_app_image(source);
  if (!check.ok()) throw ApiError(ErrorCode::InvalidFirmware, check.message);
  const domain::EspImageInfo& image = *check.info;

  PublishedRelease published;
  store::ReleaseRecord& release = published.release;
  release.project_id = project.id;
  release.version = request.version.to_string();
  release.channel = request.channel;
  release.filename = release_filename(release.project_id, release.version, release.channel);
  release.size = static_cast<std::int64_t>(file.blob.size());
  release.sha256 = file.sha256;
  release.md5 = file.md5;
  release.chip = std::string(domain::chip_name(image.chip));
  release.chip_id = image.chip_id;
  release.image_project_name = image.project_name;
  release.image_version = image.version;
  release.secure_version = image.secure_version;
  release.idf_version = image.idf_version;
  release.signature = std::string(domain::signature_kind_name(image.signature));
  release.appended_sha256 = image.appended_sha256_hex;
  release.elf_sha256 = image.elf_sha256_hex;
  release.uploaded_by = std::string(actor);
  release.uploaded_at = destination.env.now_ms();
  apply_start(start, release.uploaded_at, release);

  for (auto warning :
       {secure_version_warning(destination.store, release), image_version_warning(release, request.version)}) {
    if (warning) published.warnings.push_back(std::move(*warning));
  }

  // `inserted` is `release`, its id filled in: render(published) shows it.
  const auto audit_of = [&](const store::ReleaseRecord& inserted) {
    return audit_record(inserted.project_id, actor, "release.upload", "release:" + std::to_string(inserted.id), nullptr,
                        render(published), destination.env.now_ms())
        .value();
  };
  std::lock_guard lock(destination.commit_mutex);
  destination.blobs.commit(file.blob, release.sha256);
  share_firmware(destination.blobs, destination.store, release.sha256);
  if (!insert_or_remove_blob(destination, release, audit_of)) {
    throw ApiError(ErrorCode::VersionExists,
                   "version " + release.version + " already exists on channel " +
                       std::string(domain::to_string(release.channel)));
  }
  return published;
}

boost::json::object render(const PublishedRelease& published) {
  boost::json::object out = render(published.release);
  out["warnings"] = boost::json::value_from(published.warnings);
  return out;
}

}  // namespace apiota::service
