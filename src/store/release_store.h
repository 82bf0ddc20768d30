#pragma once
// ReleaseStore: a project's firmware releases, each with what was uploaded
// (immutable) and what operators manage afterwards (state, notes, rollout,
// safety, stages). Changes an operator makes are written together with their
// audit line. Every method follows the contract of store/store.h
// (thread-safe, blocking, durable on return, StoreError when the database
// fails, "not found" as an empty optional or false).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

class ReleaseStore {
 public:
  virtual ~ReleaseStore() = default;

  // The audit line of a new release, made from the release with its `id`
  // filled in (its subject "release:<id>", its rendering with the id).
  using AuditOfInsert = std::function<AuditRecord(const ReleaseRecord& inserted)>;
  // insert_release stores every field, fills in `id` and appends
  // audit_of(release), in one transaction: when it throws (the callback's
  // exceptions included) or returns false, nothing is stored. False, without
  // calling audit_of, when the project already has that version on that
  // channel.
  virtual bool insert_release(ReleaseRecord& release, const AuditOfInsert& audit_of) = 0;
  virtual std::vector<ReleaseRecord> list_releases(std::string_view project_id) = 0;
  virtual std::optional<ReleaseRecord> find_release_by_filename(std::string_view filename) = 0;
  virtual std::optional<ReleaseRecord> find_release(std::string_view project_id, std::int64_t id) = 0;
  // Replaces the operator-managed fields (state, state_reason, notes, the
  // rollout fields, rollback_target_id, the safety settings and the stage
  // schedule) of `release` and appends `audit`, in one transaction. When the
  // state is "revoked", every update attempt still open on the release ends,
  // in the same transaction, with outcome "revoked" at audit.at. False if
  // the release does not exist in its project.
  virtual bool update_release(const ReleaseRecord& release, const AuditRecord& audit) = 0;
  enum class DeleteOutcome { Deleted, NotFound, InUse };
  // Deletes a release, its ended update attempts, and appends `audit` in one
  // transaction, unless a device of the project reports running its version,
  // a device has an open attempt on it, or another release names it as
  // rollback target (InUse).
  virtual DeleteOutcome delete_release(std::string_view project_id, std::int64_t id, const AuditRecord& audit) = 0;
  // The sha256 of every stored release: blobs are stored by content hash, and
  // a blob no release references is an orphan that start-up cleanup removes.
  virtual std::vector<std::string> referenced_sha256s() = 0;
};

}  // namespace apiota::store
