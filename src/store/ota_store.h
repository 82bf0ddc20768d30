#pragma once
// OtaStore: what devices report while updating. OTA log lines, and the update
// attempts they move (one device installing one release, from offer to
// outcome), which rollout safety and auto-advance count. Every method follows
// the contract of store/store.h (thread-safe, blocking, durable on return,
// StoreError when the database fails).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

class OtaStore {
 public:
  virtual ~OtaStore() = default;

  // OTA logs. When `new_current_version` is set (a `done` report), the
  // device's firmware version is updated, and `attempt` applied, in the same
  // transaction.
  virtual std::int64_t append_ota_log(const OtaLogRecord& log, std::optional<std::string_view> new_current_version,
                                      const AttemptWrite& attempt) = 0;
  virtual std::vector<OtaLogRecord> list_ota_logs(std::string_view device_id, std::int64_t limit) = 0;

  // Update attempts. apply_attempt_write applies `write` in one transaction:
  // ending the open attempt only if it is still open (a concurrent end wins),
  // and superseding any attempt the device still has open before starting a
  // new open one, so a device never has two. It returns true when it ended
  // the open attempt or started one.
  virtual bool apply_attempt_write(const AttemptWrite& write) = 0;
  // A device's attempts (by its device_id), newest first, at most `limit`.
  virtual std::vector<AttemptRecord> device_attempts(std::string_view device_id, std::int64_t limit) = 0;
  // Open attempts, in progress, silent for longer than their release's
  // stuck_after_s at `now`.
  virtual std::vector<AttemptRecord> stale_attempts(std::int64_t now) = 0;
  // The outcomes of a release's last `limit` attempts ended at or after
  // `since`, oldest first, superseded and revoked ones excluded (they are
  // neither successes nor failures).
  virtual std::vector<domain::AttemptEnd> recent_attempt_outcomes(std::int64_t release_id, std::int64_t since,
                                                                  std::int64_t limit) = 0;
  // How many of a release's attempts succeeded at or after `since`.
  virtual std::int64_t count_successes_since(std::int64_t release_id, std::int64_t since) = 0;
  // Ended attempt counts per release of a project.
  virtual std::vector<ReleaseOutcomes> release_outcomes(std::string_view project_id) = 0;
};

}  // namespace apiota::store
