#pragma once
// Issuing API keys and bootstrapping a fresh data folder: the implementation
// behind service::FleetAdministration::issue_key() and bootstrap().
//
// A key is "pk_live_" followed by 32 random alphanumerics (~190 bits). Only
// its keyed hash is stored; the plaintext exists in the IssuedKey returned
// here and is shown to the operator once.

#include <optional>
#include <string>
#include <string_view>

#include "crypto/keyed_hash.h"
#include "domain/plan.h"
#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

inline constexpr std::string_view kDefaultProjectId = "default";

struct IssuedKey {
  store::KeyRecord record;
  std::string plaintext;
};

inline constexpr std::size_t kMaxKeyLabelBytes = 64;

// Throws ApiError INVALID_PARAMETER unless `label` is at most 64 bytes of
// printable text (no control characters, valid UTF-8).
void check_key_label(std::string_view label);

// `label` says what the key is for (shown in key lists and the audit log).
// The key and its id are drawn from `env`'s randomness, created_at is its
// clock. Throws std::invalid_argument if the project does not exist, ApiError
// INVALID_PARAMETER for a label over 64 bytes or holding control characters
// or invalid UTF-8. Operators issue keys through service::FleetAdministration,
// which audits them.
IssuedKey issue_key(store::Store& store, const crypto::KeyedHasher& hasher, std::string_view project_id,
                    store::KeyRole role, std::string_view label = {}, env::Env& env = env::system_env());

// Ensures the default project exists. On a store that has never held a key,
// issues the first admin key and returns it; otherwise returns nullopt.
std::optional<IssuedKey> bootstrap(store::Store& store, const crypto::KeyedHasher& hasher,
                                   const domain::Plan& default_plan, env::Env& env = env::system_env());

std::string_view role_name(store::KeyRole role);
std::optional<store::KeyRole> parse_role(std::string_view name);

}  // namespace apiota::service
