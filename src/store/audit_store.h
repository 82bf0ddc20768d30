#pragma once
// AuditStore: the operator actions kept forever (who, what, on what, what
// changed). Changes that are written with their audit line in one transaction
// take it as an argument instead (ReleaseStore's insert_release,
// update_release and delete_release). Every method follows the contract of
// store/store.h (thread-safe, blocking, durable on return, StoreError when
// the database fails).

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // append_audit fills nothing in; list_audit is newest first and fills
  // actor_label from the key the actor names.
  virtual void append_audit(const AuditRecord& audit) = 0;
  virtual std::vector<AuditRecord> list_audit(std::string_view project_id, std::int64_t limit) = 0;
};

}  // namespace apiota::store
