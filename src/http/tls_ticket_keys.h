#pragma once
// The keys that seal TLS session tickets (docs/tls.md, "Resumption"). A
// ticket is the client's copy of its session, encrypted (AES-256-CBC) and
// authenticated (HMAC-SHA256) under a key only the server knows; a client
// that shows it back resumes without a full handshake.
//
// One TlsTicketKeys serves every TLS context the server makes, so tickets
// are honoured whichever I/O thread a device reaches and survive a
// certificate reload. A new key seals tickets every `rotation`; an older key
// still opens the tickets it sealed until `lifetime` after it stopped
// sealing (a ticket lives `lifetime`), then it is forgotten, so a stolen key
// exposes a bounded window of sessions. A ticket opened by an older key is
// renewed under the current one. Keys are random (OpenSSL's RAND_bytes) and
// live only in memory: a restart starts a new ring and clients make one full
// handshake each.
//
// Thread-safe; the time is passed in, so the schedule is testable.

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace apiota::http {

struct TicketKey {
  std::array<std::uint8_t, 16> name{};  // sent in clear with the ticket: picks the key
  std::array<std::uint8_t, 32> cipher_key{};
  std::array<std::uint8_t, 32> mac_key{};
  std::chrono::steady_clock::time_point made;
};

class TlsTicketKeys {
 public:
  TlsTicketKeys(std::chrono::seconds rotation, std::chrono::seconds lifetime);

  // The key that seals a new ticket at `now`, made first when the current
  // one has sealed for `rotation` already.
  TicketKey sealing_key(std::chrono::steady_clock::time_point now);

  struct Opening {
    TicketKey key;
    bool renew = false;  // an older key: seal the session again under the current one
  };
  // The key named `name` if it may still open tickets at `now`; nullopt for
  // an unknown or forgotten key (the client then makes a full handshake).
  std::optional<Opening> opening_key(const std::array<std::uint8_t, 16>& name,
                                     std::chrono::steady_clock::time_point now);

  // How many keys are held (the current one and those still opening).
  std::size_t size() const;

 private:
  void forget_expired(std::chrono::steady_clock::time_point now);

  const std::chrono::seconds rotation_;
  const std::chrono::seconds lifetime_;
  mutable std::mutex mutex_;
  std::deque<TicketKey> keys_;  // newest first
};

}  // namespace apiota::http
