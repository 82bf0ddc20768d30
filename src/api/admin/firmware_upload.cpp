#include "api/admin/firmware_upload.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/admin/blob_cleanup.h"
#include "api/admin/render.h"
#include "api/api_error.h"
#include "api/audit.h"
#include "api/clock.h"
#include "api/firmware_url.h"
#include "domain/channel.h"
#include "domain/esp_image.h"
#include "domain/semver.h"

namespace apiota::api::admin {
namespace {

// Room for the text fields and multipart framing around the file.
constexpr std::uint64_t kFormOverheadBytes = 64 * 1024;
constexpr std::size_t kMaxFieldBytes = 1024;

std::string limit_message(std::uint64_t limit) {
  return "firmware larger than the plan's limit of " + std::to_string(limit) + " bytes";
}

}  // namespace

FirmwareUpload::FirmwareUpload(Context& ctx, const Request& head, std::optional<std::uint64_t> content_length)
    : ctx_(ctx),
      admin_(authenticate_admin(ctx, head)),
      max_firmware_bytes_(static_cast<std::uint64_t>(admin_.project.plan.max_firmware_bytes)),
      download_base_(download_base(ctx.settings, head)) {
  if (content_length && *content_length > max_body_bytes()) {
    throw ApiError(ErrorCode::PayloadTooLarge, limit_message(max_firmware_bytes_));
  }
}

std::uint64_t FirmwareUpload::max_body_bytes() const { return max_firmware_bytes_ + kFormOverheadBytes; }

void FirmwareUpload::begin_part(std::string_view name, std::optional<std::string_view> filename) {
  if (name == "file") {
    if (file_seen_) throw ApiError(ErrorCode::InvalidParameter, "only one file may be uploaded");
    if (!filename) throw ApiError(ErrorCode::InvalidParameter, "the file field must be a file");
    file_seen_ = true;
    file_.emplace(ctx_.blobs.create_pending());
    part_ = PartKind::File;
  } else if (name == "version" || name == "channel" || name == "project_id") {
    part_ = PartKind::Field;
    field_name_ = std::string(name);
    field_value_.clear();
  } else {
    part_ = PartKind::Ignored;
  }
}

void FirmwareUpload::part_data(std::string_view bytes) {
  switch (part_) {
    case PartKind::File:
      if (file_->size() + bytes.size() > max_firmware_bytes_) {
        throw ApiError(ErrorCode::PayloadTooLarge, limit_message(max_firmware_bytes_));
      }
      file_->write(bytes);
      sha256_.update(bytes);
      md5_.update(bytes);
      break;
    case PartKind::Field:
      if (field_value_.size() + bytes.size() > kMaxFieldBytes) {
        throw ApiError(ErrorCode::InvalidParameter, field_name_ + " is too long");
      }
      field_value_.append(bytes);
      break;
    case PartKind::Ignored:
    case PartKind::None:
      break;
  }
}

void FirmwareUpload::end_part() {
  if (part_ == PartKind::Field) {
    if (field_name_ == "version") version_ = field_value_;
    if (field_name_ == "channel") channel_ = field_value_;
    if (field_name_ == "project_id") project_id_ = field_value_;
  }
  part_ = PartKind::None;
}

Response FirmwareUpload::finish() {
  if (!file_seen_) throw ApiError(ErrorCode::MissingParameter, "file is required");
  if (!version_ || version_->empty()) throw ApiError(ErrorCode::MissingParameter, "version is required");
  auto version = domain::parse_semver(*version_);
  if (!version) throw ApiError(ErrorCode::InvalidVersion, "version is not a semantic version (e.g. 1.2.0)");
  auto channel = domain::parse_channel(channel_.value_or("stable"));
  if (!channel) throw ApiError(ErrorCode::InvalidChannel, "channel must be stable, beta or dev");
  if (project_id_ && !project_id_->empty()) require_same_project(admin_, *project_id_);

  blob::FileByteSource source(file_->fd(), file_->size());
  domain::EspImageCheck check = domain::inspect_esp_app_image(source);
  if (!check.ok()) throw ApiError(ErrorCode::InvalidFirmware, check.message);
  const domain::EspImageInfo& image = *check.info;

  store::ReleaseRecord release;
  release.project_id = admin_.project.id;
  release.version = version->to_string();
  release.channel = std::string(domain::to_string(*channel));
  release.filename = release_filename(release.project_id, release.version, release.channel);
  release.size = static_cast<std::int64_t>(file_->size());
  release.sha256 = crypto::to_hex(sha256_.finish());
  release.md5 = crypto::to_hex(md5_.finish());
  release.chip = std::string(domain::chip_name(image.chip));
  release.chip_id = image.chip_id;
  release.image_project_name = image.project_name;
  release.image_version = image.version;
  release.secure_version = image.secure_version;
  release.idf_version = image.idf_version;
  release.signature = std::string(domain::signature_kind_name(image.signature));
  release.appended_sha256 = image.appended_sha256_hex;
  release.elf_sha256 = image.elf_sha256_hex;
  release.uploaded_by = admin_.key.id;
  release.uploaded_at = now_ms();

  // Anti-rollback devices burn a release's secure_version into eFuse once
  // they run it: raising it is irreversible for the fleet, so say so.
  boost::json::array warnings;
  std::optional<std::int64_t> highest_secure_version;
  for (const auto& existing : ctx_.store.list_releases(release.project_id)) {
    highest_secure_version = std::max(highest_secure_version.value_or(0), existing.secure_version);
  }
  if (highest_secure_version && release.secure_version > *highest_secure_version) {
    warnings.emplace_back("secure_version rises from " + std::to_string(*highest_secure_version) + " to " +
                          std::to_string(release.secure_version) +
                          ": devices with anti-rollback that install this release can never go back below it");
  }

  {
    std::lock_guard lock(ctx_.release_commit_mutex);
    ctx_.blobs.commit(*file_, release.sha256);
    if (!ctx_.store.insert_release(release)) {
      remove_unreferenced_blob(ctx_.store, ctx_.blobs, release.sha256);
      throw ApiError(ErrorCode::VersionExists,
                     "version " + release.version + " already exists on channel " + release.channel);
    }
  }
  boost::json::object audited = render(release);
  audited["warnings"] = warnings;
  record_audit(ctx_.store, release.project_id, admin_.key.id, "release.upload", "release:" + std::to_string(release.id),
               nullptr, audited);
  spdlog::info("release {} {} ({}) uploaded to project {} by {}: {} bytes, chip {}, sha256 {}", release.version,
               release.channel, release.filename, release.project_id, release.uploaded_by, release.size,
               release.chip, release.sha256);

  Response res;
  res.body = boost::json::serialize(boost::json::object{
      {"success", true},
      {"id", release.id},
      {"project_id", release.project_id},
      {"version", release.version},
      {"channel", release.channel},
      {"filename", release.filename},
      {"url", download_base_ + "/api/firmware/" + release.filename},
      {"size", release.size},
      {"sha256", release.sha256},
      {"md5", release.md5},
      {"chip", release.chip},
      {"image_version", release.image_version},
      {"image_project_name", release.image_project_name},
      {"secure_version", release.secure_version},
      {"idf_version", release.idf_version},
      {"signature", release.signature},
      {"uploaded_at", iso8601(release.uploaded_at)},
      {"warnings", std::move(warnings)},
  });
  return res;
}

}  // namespace apiota::api::admin
