#pragma once
// Revoking an API key, shared by the admin API and the CLI: finds key
// `key_id` (only among `project_id`'s keys when one is given, so an admin key
// never reaches another project), revokes it and appends a "key.revoke"
// audit record. Returns the revoked key; throws ApiError NOT_FOUND when there
// is no such key.

#include <optional>
#include <string_view>

#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

store::KeyRecord revoke_api_key(store::Store& store, env::Env& env, std::string_view key_id,
                                std::optional<std::string_view> project_id, std::string_view actor);

}  // namespace apiota::service
