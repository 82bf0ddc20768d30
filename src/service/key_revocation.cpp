#include "service/key_revocation.h"

#include "service/render.h"
#include "service/api_error.h"
#include "service/audit.h"

namespace apiota::service {

store::KeyRecord revoke_api_key(store::Store& store, env::Env& env, std::string_view key_id,
                                std::optional<std::string_view> project_id, std::string_view actor) {
  for (const auto& before : store.list_keys(project_id)) {
    if (before.id != key_id) continue;
    store.revoke_key(key_id, env.now_ms());
    store::KeyRecord after = *store.find_key_by_hash(before.hash);
    record_audit(store, env, before.project_id, actor, "key.revoke", "key:" + before.id, render(before), render(after));
    return after;
  }
  throw ApiError(ErrorCode::NotFound, "no key with id " + std::string(key_id));
}

}  // namespace apiota::service
