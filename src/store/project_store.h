#pragma once
// ProjectStore: projects (a tenant and its plan), their API keys, and the
// fingerprint of the server key the store's digests were made with: what
// decides who may act on a project. Every method follows the contract of
// store/store.h (thread-safe, blocking, durable on return, StoreError when
// the database fails, "not found" as an empty optional or false).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;

  // The server key fingerprint (a keyed digest, never the key: see
  // docs/security.md) records which server key the store's digests were made
  // with. Records `fingerprint` if the store holds none yet (a new store, or
  // one made before fingerprints existed), atomically, and returns the one
  // the store holds afterwards: `fingerprint` itself, or the one recorded
  // earlier, which the caller compares with its own.
  virtual std::string claim_server_key_fingerprint(std::string_view fingerprint) = 0;

  // Projects. `upsert_project` creates the project or replaces its name and plan.
  virtual std::optional<ProjectRecord> find_project(std::string_view id) = 0;
  virtual std::vector<ProjectRecord> list_projects() = 0;
  virtual void upsert_project(const ProjectRecord& project) = 0;

  // Keys. Lookup is by keyed hash; revoked keys are still returned (callers
  // check revoked_at) so that a revoked key gets a precise error.
  virtual void insert_key(const KeyRecord& key) = 0;
  virtual std::optional<KeyRecord> find_key_by_hash(std::string_view hash) = 0;
  virtual std::vector<KeyRecord> list_keys(std::optional<std::string_view> project_id) = 0;
  // Replaces the key's label ("" for none); false if no such key.
  virtual bool set_key_label(std::string_view key_id, std::string_view label) = 0;
  // Sets revoked_at unless already revoked; false if no such key.
  virtual bool revoke_key(std::string_view key_id, std::int64_t now) = 0;
  virtual std::int64_t count_keys() = 0;
};

}  // namespace apiota::store
