#include "api/admin/firmware_upload.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>

#include "api/admin/release_fields.h"
#include "service/release_operations.h"
#include "api/error_response.h"
#include "service/json_text.h"

namespace apiota::api::admin {
namespace {

// Room for the text fields (notes up to 64 KiB) and multipart framing
// around the file.
constexpr std::uint64_t kFormOverheadBytes = 128 * 1024;
constexpr std::size_t kMaxFieldBytes = 1024;
constexpr std::size_t kMaxStagesBytes = 16 * 1024;

double percent_field(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw ApiError(ErrorCode::InvalidParameter, "rollout_percent must be a number");
  }
  return value;
}

std::vector<store::RolloutStageRecord> stages_field(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec);
  if (ec) throw ApiError(ErrorCode::InvalidParameter, "stages must be a JSON array of stages");
  return stages_from_json(parsed);
}

}  // namespace

FirmwareUpload::FirmwareUpload(Context& ctx, const Request& head, std::optional<std::uint64_t> content_length)
    : ctx_(ctx), admin_(authenticate_admin(ctx, head)) {
  // A body that large holds a file over the limit, whatever the form's other fields.
  if (content_length && *content_length > max_body_bytes()) service::check_firmware_size(admin_.project.plan, *content_length);
}

std::uint64_t FirmwareUpload::max_body_bytes() const {
  return static_cast<std::uint64_t>(admin_.project.plan.max_firmware_bytes) + kFormOverheadBytes;
}

void FirmwareUpload::begin_part(std::string_view name, std::optional<std::string_view> filename) {
  if (name == "file") {
    if (file_seen_) throw ApiError(ErrorCode::InvalidParameter, "only one file may be uploaded");
    if (!filename) throw ApiError(ErrorCode::InvalidParameter, "the file field must be a file");
    file_seen_ = true;
    file_.emplace(ctx_.blobs.create_pending());
    part_ = PartKind::File;
    return;
  }
  if (name == "version" || name == "channel" || name == "project_id" || name == "state" ||
      name == "rollout_percent") {
    field_limit_ = kMaxFieldBytes;
  } else if (name == "stages") {
    field_limit_ = kMaxStagesBytes;
  } else if (name == "notes") {
    field_limit_ = service::kMaxNotesBytes;
  } else {
    part_ = PartKind::Ignored;
    return;
  }
  part_ = PartKind::Field;
  field_name_ = std::string(name);
  field_value_.clear();
}

void FirmwareUpload::part_data(std::string_view bytes) {
  switch (part_) {
    case PartKind::File:
      service::check_firmware_size(admin_.project.plan, file_->size() + bytes.size());
      file_->write(bytes);
      sha256_.update(bytes);
      md5_.update(bytes);
      break;
    case PartKind::Field:
      if (field_value_.size() + bytes.size() > field_limit_) {
        throw ApiError(ErrorCode::InvalidParameter,
                       field_name_ + " is longer than " + std::to_string(field_limit_) + " bytes");
      }
      field_value_.append(bytes);
      break;
    case PartKind::Ignored:
    case PartKind::None:
      break;
  }
}

void FirmwareUpload::end_part() {
  if (part_ == PartKind::Field) take_field();
  part_ = PartKind::None;
}

// Checks one text field as soon as it is complete.
void FirmwareUpload::take_field() {
  const std::string& value = field_value_;
  service::ReleaseStart& start = request_.start;
  if (field_name_ == "version") {
    version_.reset();
    if (!value.empty()) version_ = service::release_version(value);
  } else if (field_name_ == "channel") {
    request_.channel = service::release_channel(value);
  } else if (field_name_ == "project_id") {
    if (!value.empty()) service::require_same_project(admin_, value);
  } else if (field_name_ == "state") {
    start.state = service::starting_state(value);
  } else if (field_name_ == "rollout_percent") {
    start.rollout_percent = service::checked_rollout_percent(percent_field(value));
  } else if (field_name_ == "stages") {
    start.stages = service::checked_stages(stages_field(value));
  } else if (field_name_ == "notes") {
    service::check_notes(value);
    start.notes = value;
  }
}

Response FirmwareUpload::finish() {
  if (!file_seen_) throw ApiError(ErrorCode::MissingParameter, "file is required");
  if (!version_) throw ApiError(ErrorCode::MissingParameter, "version is required");
  request_.version = *version_;
  request_.start = service::checked_release_start(std::move(request_.start));

  service::ReleaseFile file{*file_, crypto::to_hex(sha256_.finish()), crypto::to_hex(md5_.finish())};
  const service::PublishedRelease published =
      ctx_.administration.publish_release(admin_.project, request_, file, admin_.key.id);
  const store::ReleaseRecord& release = published.release;
  spdlog::info("release {} {} ({}) uploaded to project {} by {}: {} bytes, chip {}, sha256 {}, {}", release.version,
               domain::to_string(release.channel), release.filename, release.project_id, release.uploaded_by,
               release.size,               release.chip, release.sha256, domain::to_string(release.state));

  boost::json::object out{{"success", true}};
  for (const auto& field : service::render(published)) out.emplace(field.key(), field.value());
  Response res;
  res.body = service::to_json_text(out);
  return res;
}

}  // namespace apiota::api::admin
