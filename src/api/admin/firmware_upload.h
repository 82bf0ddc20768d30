#pragma once
// FirmwareUpload: one `POST /api/firmware/upload` in progress.
//
// The http layer creates it when the request head has arrived, feeds it the
// multipart/form-data parts as they stream in, and calls finish() at the end
// of the body. The file part goes straight to a temp file while SHA-256 and
// MD5 are computed, so memory use does not depend on the file size. Each
// text field is checked as soon as it has arrived (version, channel,
// project_id, and how the release starts: state, rollout_percent, stages,
// notes; see service/release_publication.h), so a bad field ends the
// upload at once. Nothing becomes visible until finish() has published the
// release (publish_release(): image checks, blob commit, release insert,
// audit); an upload abandoned or refused at any point leaves only a temp
// file, removed by the PendingBlob destructor (or at start-up after a
// crash).
//
// Every method may throw ApiError; after a throw the object must be dropped.
// Not thread-safe: one upload belongs to one connection.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/release_publication.h"
#include "api/auth.h"
#include "api/context.h"
#include "api/request.h"
#include "blob/blob_store.h"
#include "crypto/digest.h"

namespace apiota::api::admin {

class FirmwareUpload {
 public:
  // Authenticates the admin key (UNAUTHORIZED / FORBIDDEN) and refuses a
  // declared Content-Length over the plan's limit (PAYLOAD_TOO_LARGE).
  FirmwareUpload(Context& ctx, const Request& head, std::optional<std::uint64_t> content_length);

  // The most body bytes this upload may send: the firmware limit plus room
  // for the form's other fields and multipart framing.
  std::uint64_t max_body_bytes() const;

  void begin_part(std::string_view name, std::optional<std::string_view> filename);
  void part_data(std::string_view bytes);
  void end_part();

  // Publishes the release. Blocks on disk and the store.
  Response finish();

 private:
  enum class PartKind { None, File, Field, Ignored };

  void take_field();

  Context& ctx_;
  service::AdminPrincipal admin_;
  PartKind part_ = PartKind::None;
  std::string field_name_;
  std::string field_value_;
  std::size_t field_limit_ = 0;
  std::optional<domain::SemVer> version_;
  service::ReleaseRequest request_;
  std::optional<blob::PendingBlob> file_;
  bool file_seen_ = false;
  crypto::Digest sha256_{crypto::DigestKind::Sha256};
  crypto::Digest md5_{crypto::DigestKind::Md5};
};

}  // namespace apiota::api::admin
