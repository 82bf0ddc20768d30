#include "service/key_issuer.h"

#include <stdexcept>

#include "service/api_error.h"
#include "service/credential_hash.h"
#include "env/env.h"
#include "domain/printable.h"

namespace apiota::service {

void check_key_label(std::string_view label) {
  if (label.size() > kMaxKeyLabelBytes || domain::printable(label) != label) {
    throw ApiError(ErrorCode::InvalidParameter, "label must be at most 64 bytes of printable text");
  }
}

IssuedKey issue_key(store::Store& store, const crypto::KeyedHasher& hasher, std::string_view project_id,
                    store::KeyRole role, std::string_view label, env::Env& env) {
  check_key_label(label);
  if (!store.find_project(project_id)) {
    throw std::invalid_argument("project '" + std::string(project_id) + "' does not exist");
  }
  IssuedKey issued;
  issued.plaintext = std::string(kKeyPrefix) + env::random_alphanumeric(env, 32);
  auto& k = issued.record;
  k.id = "key_" + env::random_alphanumeric(env, 12);
  k.project_id = std::string(project_id);
  k.role = role;
  k.hash = hash_api_key(hasher, issued.plaintext);
  k.hint = issued.plaintext.substr(0, kKeyPrefix.size() + 4) + "...";
  k.created_at = env.now_ms();
  k.label = std::string(label);
  store.insert_key(k);
  return issued;
}

std::optional<IssuedKey> bootstrap(store::Store& store, const crypto::KeyedHasher& hasher,
                                   const domain::Plan& default_plan, env::Env& env) {
  if (!store.find_project(kDefaultProjectId)) {
    store.upsert_project({std::string(kDefaultProjectId), "Default project", default_plan, env.now_ms()});
  }
  if (store.count_keys() > 0) return std::nullopt;
  return issue_key(store, hasher, kDefaultProjectId, store::KeyRole::Admin, {}, env);
}

std::string_view role_name(store::KeyRole role) { return role == store::KeyRole::Admin ? "admin" : "provision"; }

std::optional<store::KeyRole> parse_role(std::string_view name) {
  if (name == "admin") return store::KeyRole::Admin;
  if (name == "provision") return store::KeyRole::Provision;
  return std::nullopt;
}

}  // namespace apiota::service
