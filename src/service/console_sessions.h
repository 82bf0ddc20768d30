#pragma once
// ConsoleSessions: the web console's sign-in (docs/security.md, "Console
// sessions"). An operator exchanges an admin key for a session: a random
// token of 32 bytes from the Env (base64url, 43 characters) that the http
// layer sets as a cookie; the store keeps only its SHA-256
// (store/console_session_store.h).
//
// sign_in() checks the key exactly as AccessControl::authenticate_admin()
// does for a Bearer key, lock-out included: RATE_LIMITED while the address
// is locked out, UNAUTHORIZED for an unknown or revoked key (counted towards
// the lock-out), FORBIDDEN for a provisioning key.
//
// A session ends kLifetime after sign-in or kIdleTimeout after its last use,
// whichever comes first, when its key is revoked, or at sign_out(). find()
// answers nullopt for a token of any other form, an unknown token or a
// session that ended (and deletes the row of one that ended); it never
// counts towards the lock-out, since a 256-bit token cannot be guessed and
// a browser may well present an old one. Its last use is written at most
// once per kTouchInterval, so the idle timeout is exact to within that.
// prune() deletes every ended session; the server calls it periodically.
//
// Times come from the Env; the store may throw StoreError. Thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "env/env.h"
#include "service/access_control.h"
#include "store/store.h"

namespace apiota::service {

// A live session: the operator it authenticates and when it ends unless used
// again (Unix ms).
struct ConsoleSession {
  AdminPrincipal admin;
  std::int64_t expires_at = 0;
};

struct OpenedConsoleSession {
  std::string token;
  ConsoleSession session;
  std::chrono::seconds lifetime;  // for the cookie's Max-Age
};

class ConsoleSessions {
 public:
  static constexpr std::chrono::hours kLifetime{12};
  static constexpr std::chrono::hours kIdleTimeout{1};
  static constexpr std::chrono::minutes kTouchInterval{1};
  static constexpr std::size_t kTokenBytes = 32;

  ConsoleSessions(store::Store& store, AccessControl& access, env::Env& env)
      : store_(store), access_(access), env_(env) {}

  OpenedConsoleSession sign_in(std::string_view key, std::string_view address);
  std::optional<ConsoleSession> find(std::string_view token);
  // Ends the session; false when there was none.
  bool sign_out(std::string_view token);
  std::int64_t prune();

 private:
  store::Store& store_;
  AccessControl& access_;
  env::Env& env_;
};

}  // namespace apiota::service
