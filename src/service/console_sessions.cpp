#include "service/console_sessions.h"

#include <algorithm>
#include <array>

#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/keyed_hash.h"
#include "service/api_error.h"

namespace apiota::service {
namespace {

constexpr std::int64_t ms(std::chrono::milliseconds d) { return d.count(); }

// A token as sign_in() makes them: 43 base64url characters.
bool well_formed(std::string_view token) {
  constexpr std::size_t kTokenChars = (ConsoleSessions::kTokenBytes * 4 + 2) / 3;
  return token.size() == kTokenChars && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
         });
}

std::string token_hash(std::string_view token) { return crypto::to_hex(crypto::sha256(token)); }

std::int64_t ends_at(const store::ConsoleSessionRecord& session) {
  return std::min(session.expires_at, session.last_used_at + ms(ConsoleSessions::kIdleTimeout));
}

}  // namespace

OpenedConsoleSession ConsoleSessions::sign_in(std::string_view key, std::string_view address) {
  AdminPrincipal admin = access_.authenticate_admin(key, address);
  std::array<std::uint8_t, kTokenBytes> random{};
  env_.random_bytes(random);
  std::string token = crypto::base64url(random);
  const std::int64_t now = env_.now_ms();
  store::ConsoleSessionRecord record{token_hash(token), admin.key.id, admin.project.id, now, now,
                                     now + ms(kLifetime)};
  store_.insert_console_session(record);
  return {std::move(token), {std::move(admin), ends_at(record)}, kLifetime};
}

std::optional<ConsoleSession> ConsoleSessions::find(std::string_view token) {
  if (!well_formed(token)) return std::nullopt;
  const std::string hash = token_hash(token);
  auto found = store_.find_console_session(hash);
  if (!found || !crypto::constant_time_equal(found->session.token_hash, hash)) return std::nullopt;
  store::ConsoleSessionRecord& session = found->session;
  const std::int64_t now = env_.now_ms();
  if (found->key.revoked_at || found->key.role != store::KeyRole::Admin || now >= ends_at(session)) {
    store_.delete_console_session(hash);
    return std::nullopt;
  }
  auto project = store_.find_project(session.project_id);
  if (!project) return std::nullopt;
  if (now - session.last_used_at >= ms(kTouchInterval)) {
    store_.touch_console_session(hash, now);
    session.last_used_at = now;
  }
  return ConsoleSession{{std::move(found->key), std::move(*project)}, ends_at(session)};
}

bool ConsoleSessions::sign_out(std::string_view token) {
  if (!well_formed(token)) return false;
  return store_.delete_console_session(token_hash(token));
}

std::int64_t ConsoleSessions::prune() {
  const std::int64_t now = env_.now_ms();
  return store_.delete_ended_console_sessions(now, now - ms(kIdleTimeout));
}

}  // namespace apiota::service
