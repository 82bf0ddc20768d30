#pragma once
// ConsoleSessionStore: the web console's signed-in sessions
// (service/console_sessions.h). A session is found by the hash of its token;
// the token itself is never stored. Each row names the admin key that signed
// in, so a session found here comes with that key's record and a revoked key
// is seen at once. Every method follows the contract of store/store.h
// (thread-safe, blocking, durable on return, StoreError when the database
// fails, "not found" as an empty optional or false).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/records.h"

namespace apiota::store {

struct ConsoleSessionRecord {
  std::string token_hash;  // lowercase hex SHA-256 of the token
  std::string key_id;      // the admin key that signed in
  std::string project_id;  // that key's project
  std::int64_t created_at = 0;    // Unix ms
  std::int64_t last_used_at = 0;  // Unix ms, refreshed at most once a minute
  std::int64_t expires_at = 0;    // Unix ms: the absolute end, created_at + 12 h
};

// A session with the key it was opened with (revoked or not: the caller decides).
struct ConsoleSessionLookup {
  ConsoleSessionRecord session;
  KeyRecord key;
};

class ConsoleSessionStore {
 public:
  virtual ~ConsoleSessionStore() = default;

  virtual void insert_console_session(const ConsoleSessionRecord& session) = 0;
  virtual std::optional<ConsoleSessionLookup> find_console_session(std::string_view token_hash) = 0;
  // Sets last_used_at; false if no such session.
  virtual bool touch_console_session(std::string_view token_hash, std::int64_t last_used_at) = 0;
  // False if no such session.
  virtual bool delete_console_session(std::string_view token_hash) = 0;
  // Deletes the sessions that ended: expires_at <= now, or last used at or
  // before idle_cutoff. Returns how many.
  virtual std::int64_t delete_ended_console_sessions(std::int64_t now, std::int64_t idle_cutoff) = 0;
};

}  // namespace apiota::store
