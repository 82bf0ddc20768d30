#include "http/tls_ticket_keys.h"

#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace apiota::http {
namespace {

template <std::size_t N>
void fill_random(std::array<std::uint8_t, N>& bytes) {
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no randomness for a TLS ticket key");
  }
}

TicketKey random_key(std::chrono::steady_clock::time_point now) {
  TicketKey key;
  fill_random(key.name);
  fill_random(key.cipher_key);
  fill_random(key.mac_key);
  key.made = now;
  return key;
}

}  // namespace

TlsTicketKeys::TlsTicketKeys(std::chrono::seconds rotation, std::chrono::seconds lifetime)
    : rotation_(rotation), lifetime_(lifetime) {}

TicketKey TlsTicketKeys::sealing_key(std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (keys_.empty() || now - keys_.front().made >= rotation_) {
    keys_.push_front(random_key(now));
    forget_expired(now);
  }
  return keys_.front();
}

std::optional<TlsTicketKeys::Opening> TlsTicketKeys::opening_key(const std::array<std::uint8_t, 16>& name,
                                                                 std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  forget_expired(now);
  auto found = std::find_if(keys_.begin(), keys_.end(), [&](const TicketKey& key) { return key.name == name; });
  if (found == keys_.end()) return std::nullopt;
  // The newest key renews too once its sealing time is over: the next
  // ticket is then sealed by its successor.
  const bool renew = found != keys_.begin() || now - found->made >= rotation_;
  return Opening{*found, renew};
}

std::size_t TlsTicketKeys::size() const {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

// A key stops sealing when the next one is made (or, for the newest, after
// `rotation`); tickets it sealed then live `lifetime` more.
void TlsTicketKeys::forget_expired(std::chrono::steady_clock::time_point now) {
  while (!keys_.empty() && now - keys_.back().made >= rotation_ + lifetime_) keys_.pop_back();
}

}  // namespace apiota::http
