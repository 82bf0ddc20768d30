#pragma once
// Publishing a release from a firmware file: the one implementation behind
// `POST /api/firmware/upload` (api/admin/firmware_upload.h) and `apiota
// releases upload` (cli/release_upload_command.cpp), both through
// service::FleetAdministration::publish_release(), so both apply the same
// validation, image checks, plan limit, warnings and audit entry.
//
// It happens in two steps, so that a caller refuses bad input before any
// byte is stored:
//  1. The operator's choices are checked as they arrive, each function
//     throwing ApiError: release_version() (MISSING_PARAMETER when empty,
//     INVALID_VERSION), release_channel() (INVALID_CHANNEL),
//     starting_state() (INVALID_PARAMETER unless "active" or "paused"), and
//     checked_release_start() for the starting share, schedule and notes
//     together (INVALID_PARAMETER, with the rules of release_operations.h:
//     a share in [0, 100] in steps of 0.01, a schedule
//     domain::validate_stages() accepts, not both, notes of at most 64 KiB);
//     it returns the start with its shares as stored.
//     check_firmware_size() refuses a file over the plan's limit
//     (PAYLOAD_TOO_LARGE) and may be called as the file grows.
//  2. publish_release() takes the file, already written to a PendingBlob
//     whose SHA-256 and MD5 the caller computed while writing it. It checks
//     the start again, the size and the ESP32 image (INVALID_FIRMWARE with the validator's
//     message), builds the release with its starting state, share and
//     schedule (a schedule starts at its first stage now), commits the blob
//     and inserts the release with its audit entry "release.upload" (the
//     release and its warnings, by `actor`) in one transaction, under
//     `commit_mutex`. When the insert finds the version taken
//     (VERSION_EXISTS) or throws (StoreError), the blob is removed again
//     unless another release shares it: an upload that throws stores nothing.
//
// Warnings (not refusals), in this order: the image's secure_version rises
// above every release of the project (anti-rollback devices can never go
// back below it), and the image's app descriptor names a semantic version
// with another precedence than the release's (a device that reports its
// image's version would be offered the release again after installing it).
//
// The caller's `commit_mutex` serializes commits with blob removals in the
// same process (service::FleetAdministration's commit lock, the only
// caller). Functions block on disk and the store and may throw StoreError.

#include <boost/json/object.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.h"
#include "domain/channel.h"
#include "domain/release_decision.h"
#include "domain/semver.h"
#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

// How a new release starts: its state (Active or Paused), its share
// (100 when unset), or a stage schedule (empty: none), and its notes.
struct ReleaseStart {
  domain::ReleaseState state = domain::ReleaseState::Active;
  std::optional<double> rollout_percent;
  std::vector<store::RolloutStageRecord> stages;
  std::string notes;
};

struct ReleaseRequest {
  domain::SemVer version;
  domain::Channel channel = domain::Channel::Stable;
  ReleaseStart start;
};

// The firmware file, written and digested (lowercase hex) by the caller.
struct ReleaseFile {
  blob::PendingBlob& blob;
  std::string sha256;
  std::string md5;
};

struct ReleaseDestination {
  store::Store& store;
  blob::BlobStore& blobs;
  std::mutex& commit_mutex;
  env::Env& env;  // the clock of uploaded_at and the audit entry
};

struct PublishedRelease {
  store::ReleaseRecord release;
  std::vector<std::string> warnings;
};

domain::SemVer release_version(std::optional<std::string_view> text);
domain::Channel release_channel(std::string_view text);
domain::ReleaseState starting_state(std::string_view text);
ReleaseStart checked_release_start(ReleaseStart start);
void check_firmware_size(const domain::Plan& plan, std::uint64_t size);

PublishedRelease publish_release(const ReleaseDestination& destination, const store::ProjectRecord& project,
                                 const ReleaseRequest& request, ReleaseFile& file, std::string_view actor);

// The published release as both callers show it: render(release)
// with its "warnings".
boost::json::object render(const PublishedRelease& published);

}  // namespace apiota::service
