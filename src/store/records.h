#pragma once
// Plain records exchanged with a Store. Timestamps are Unix milliseconds (UTC);
// optional fields are std::nullopt when the database holds NULL. Records carry
// no behaviour: rules about them live in src/domain.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/plan.h"

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
};

struct DeviceRecord {
  std::int64_t row_id = 0;
  std::string device_id;
  std::string project_id;
  std::string secret_salt;
  std::string secret_hash;
  std::string channel = "stable";
  bool blocked = false;
  std::int64_t registered_at = 0;
  std::optional<std::string> firmware_version;
  std::optional<std::int64_t> last_seen_at;
  std::optional<std::string> last_address;
};

// One check-update observation, applied later in a batch (write-behind).
struct SeenUpdate {
  std::int64_t device_row_id = 0;
  std::string reported_version;
  std::int64_t seen_at = 0;  // when the poll was answered
  std::string address;
};

struct ReleaseRecord {
  std::int64_t id = 0;
  std::string project_id;
  std::string version;
  std::string channel;
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
  // What operators change after upload (src/api/admin/release_operations.h).
  std::string state = "active";  // active | paused | revoked
  std::string state_reason;      // why it was last paused or revoked
  std::string notes;             // markdown
  double rollout_percent = 100;  // share of eligible devices offered the release
  std::vector<std::string> rollout_tags;     // when set, only devices with one of these tags are eligible
  std::vector<std::string> rollout_devices;  // always eligible, whatever the share and tags
  std::optional<std::int64_t> rollback_target_id;
};

// An operator's pin: hold a device, or every device with a tag, at an exact
// version (a device pin beats a tag pin).
struct PinRecord {
  std::string project_id;
  std::string scope;    // "device" or "tag"
  std::string subject;  // the device id or the tag
  std::string version;
  std::int64_t created_at = 0;
};

// How a release fared, from the devices' OTA reports naming it as to_version.
struct ReleaseOutcomes {
  std::string version;
  std::int64_t installs = 0;  // `done` reports
  std::int64_t failures = 0;  // `failed` reports
};

// One operator action, kept forever: who (key id, or "cli"), what, on what,
// and the subject's state before and after (serialized JSON objects).
struct AuditRecord {
  std::int64_t id = 0;
  std::string project_id;
  std::string actor;
  std::string action;   // e.g. "release.pause"
  std::string subject;  // e.g. "release:12"
  std::string before;
  std::string after;
  std::int64_t at = 0;
};

struct OtaLogRecord {
  std::int64_t id = 0;
  std::string device_id;
  std::string project_id;
  std::string status;
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
