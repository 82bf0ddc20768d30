#pragma once
// AuditStore: the operator actions kept forever (who, what, on what, what
// changed). Changes that are written with their audit line in one transaction
// take it as an argument instead (ReleaseStore's insert_release,
// update_release and delete_release). Every method follows the contract of
// store/store.h (thread-safe, blocking, durable on return, StoreError when
// the database fails).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

// A page of a project's audit log: the entries matching every filter that
// is set, newest first, older than `before_id` when set, at most `limit`.
struct AuditQuery {
  std::string project_id;
  std::int64_t limit = 100;
  std::optional<std::string> action = {};   // exactly
  std::optional<std::string> actor = {};    // exactly
  std::optional<std::string> subject = {};  // exactly
  std::optional<std::int64_t> since = {};   // at >= since
  std::optional<std::int64_t> until = {};   // at < until
  std::optional<std::int64_t> before_id = {};
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // append_audit fills nothing in; list_audit is newest first and fills
  // actor_label from the key the actor names.
  virtual void append_audit(const AuditRecord& audit) = 0;
  virtual std::vector<AuditRecord> list_audit(std::string_view project_id, std::int64_t limit) = 0;
  // The same for a filtered page (fills actor_label too).
  virtual std::vector<AuditRecord> find_audit(const AuditQuery& query) = 0;
};

}  // namespace apiota::store
