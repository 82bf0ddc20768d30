#pragma once
// Plain records exchanged with a Store. Timestamps are Unix milliseconds (UTC);
// optional fields are std::nullopt when the database holds NULL. Records carry
// no behaviour: rules about them live in src/domain.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/channel.h"
#include "domain/ota_status.h"
#include "domain/pin_scope.h"
#include "domain/plan.h"
#include "domain/release_state.h"
#include "domain/update_attempt.h"

namespace apiota::store {

struct ProjectRecord {
  std::string id;
  std::string name;
  domain::Plan plan;
  std::int64_t created_at = 0;
};

enum class KeyRole { Provision, Admin };

struct KeyRecord {
  std::string id;          // public identifier, e.g. "key_3fa9c2d1"
  std::string project_id;
  KeyRole role = KeyRole::Provision;
  std::string hash;        // keyed hash of the full key; the key itself is never stored
  std::string hint;        // first characters of the key, to recognise it in lists
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
  std::string label = {};  // what the operator says the key is for ("" when none)
};

// One device installing one release (domain/update_attempt.h). `outcome` is
// std::nullopt while the attempt is open, otherwise how it ended.
struct AttemptRecord {
  std::int64_t id = 0;
  std::string project_id;
  std::int64_t device_row_id = 0;
  std::string device_id;
  std::int64_t release_id = 0;
  std::optional<std::string> from_version;
  std::string target_version;
  domain::OtaStatus status = domain::OtaStatus::Pending;  // the last OTA status reported for it
  std::int64_t status_at = 0;
  std::int64_t started_at = 0;
  std::optional<domain::AttemptEnd> outcome;
  std::optional<std::int64_t> ended_at;
};

struct DeviceRecord {
  std::int64_t row_id = 0;
  std::string device_id;
  std::string project_id;
  std::string secret_salt;
  std::string secret_hash;
  domain::Channel channel = domain::Channel::Stable;
  bool blocked = false;
  std::string blocked_reason = {};  // why it was blocked ("" when none, always "" unblocked)
  std::int64_t registered_at = 0;
  std::optional<std::string> firmware_version;
  std::optional<std::int64_t> last_seen_at;
  std::optional<std::string> last_address;
  // Filled by Store::find_device and list_devices: the device's open update
  // attempt and the releases its bootloader rolled back from.
  std::optional<AttemptRecord> open_attempt;
  std::vector<std::int64_t> rolled_back_release_ids;
};

// The changes one observation makes to a device's update attempts, applied
// in one transaction (see domain::AttemptStep).
struct AttemptWrite {
  std::int64_t at = 0;
  std::optional<std::int64_t> open_id;                // the device's open attempt
  std::optional<domain::AttemptEnd> end_open;         // set: end it with this outcome
  std::optional<domain::OtaStatus> touch_status;      // set: record this status on it
  std::optional<AttemptRecord> start;                 // insert; open when it has no outcome
  bool empty() const { return !end_open && !touch_status && !start; }
};

// One check-update observation, applied later in a batch (write-behind).
struct SeenUpdate {
  std::int64_t device_row_id = 0;
  std::string reported_version;
  std::int64_t seen_at = 0;  // when the poll was answered
  std::string address;
};

// One stage of a rollout schedule (domain::RolloutStage).
struct RolloutStageRecord {
  double percent = 100;
  std::int64_t min_duration_s = 0;
  std::int64_t min_successes = 0;
};

struct ReleaseRecord {
  std::int64_t id = 0;
  std::string project_id;
  std::string version;
  domain::Channel channel = domain::Channel::Stable;
  std::string filename;    // unique across projects; the download URL's last segment
  std::int64_t size = 0;
  std::string sha256;
  std::string md5;
  std::string chip;
  std::int64_t chip_id = 0;
  std::string image_project_name;
  std::string image_version;
  std::int64_t secure_version = 0;
  std::string idf_version;
  std::string signature;
  std::string appended_sha256;
  std::string elf_sha256;
  std::string uploaded_by;  // key id
  std::int64_t uploaded_at = 0;
  // What operators change after upload (src/service/release_operations.h).
  domain::ReleaseState state = domain::ReleaseState::Active;
  std::string state_reason;      // why it was last paused or revoked
  std::string notes;             // markdown
  double rollout_percent = 100;  // share of eligible devices offered the release
  std::vector<std::string> rollout_tags;     // when set, only devices with one of these tags are eligible
  std::vector<std::string> rollout_devices;  // always eligible, whatever the share and tags
  std::optional<std::int64_t> rollback_target_id;
  // Safety (domain::SafetyPolicy): pause when more than max_failure_rate of
  // the last safety_window ended attempts failed, once min_attempts ended;
  // an attempt silent for stuck_after_s seconds has failed.
  double max_failure_rate = 0.2;
  std::int64_t safety_window = 20;
  std::int64_t min_attempts = 5;
  std::int64_t stuck_after_s = 3600;
  std::int64_t safety_since = 0;  // only attempts ended since then count (set on resume)
  // Auto-advancing schedule; empty when the operator sets the share by hand.
  std::vector<RolloutStageRecord> rollout_stages;
  std::int64_t stage_index = 0;
  std::int64_t stage_started_at = 0;
};

// An operator's pin: hold a device, or every device with a tag, at an exact
// version (a device pin beats a tag pin).
struct PinRecord {
  std::string project_id;
  domain::PinScope scope = domain::PinScope::Device;
  std::string subject;  // the device id or the tag
  std::string version;
  std::int64_t created_at = 0;
};

// How a release fared: its ended update attempts by outcome.
struct ReleaseOutcomes {
  std::int64_t release_id = 0;
  std::int64_t installs = 0;     // succeeded
  std::int64_t failures = 0;     // failed (reported)
  std::int64_t stuck = 0;        // silent past the release's stuck_after
  std::int64_t rolled_back = 0;  // reverted by the device's bootloader
  std::int64_t revoked = 0;      // open when an operator revoked the release
};

// One operator action, kept forever: who (key id, "cli:USER" or "apiota"),
// what, on what, and what changed (serialized JSON: the changed fields of
// the subject before and after, service/audit.h).
struct AuditRecord {
  std::int64_t id = 0;
  std::string project_id;
  std::string actor;
  std::string action;   // e.g. "release.pause"
  std::string subject;  // e.g. "release:12"
  std::string before;
  std::string after;
  std::int64_t at = 0;
  // Filled by Store::list_audit: the label of the key named by `actor` ("" otherwise).
  std::string actor_label = {};
};

struct OtaLogRecord {
  std::int64_t id = 0;
  std::string device_id;
  std::string project_id;
  domain::OtaStatus status = domain::OtaStatus::Pending;
  std::optional<std::string> from_version;
  std::optional<std::string> to_version;
  std::optional<std::string> message;
  std::int64_t received_at = 0;
};

struct ConfigRecord {
  std::string json;  // a serialized JSON object
  std::int64_t updated_at = 0;
};

}  // namespace apiota::store
