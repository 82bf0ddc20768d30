#pragma once
// AccessControl: who may call, and how often. It holds the request-rate
// limits and the limits on guessing credentials (docs/security.md,
// "Guessing"), and checks operators' keys.
//
// Rate limits (only when Settings::rate_limit is on): limit_address() for
// every device call from one client address (many devices may share one NAT
// address, so it is generous), limit_device() per device by its project's
// plan. Both throw RATE_LIMITED.
//
// Failed authentications (whatever rate_limit says; Settings::auth_failures
// tunes them, max_failures 0 = off):
// - per device id: wrong device secrets, on every path that checks one. The
//   address the device last authenticated from (DeviceRecord::last_address)
//   is its known peer, so a guesser elsewhere cannot lock the device out at
//   its usual address.
// - per client address: wrong keys, admin and provisioning alike.
// Callers ask refuse_if_*_locked() BEFORE they check the credential and count
// a failure only after a check failed: a locked-out request gets RATE_LIMITED
// with Retry-After = the seconds left of the lock-out, whether its credential
// is right or not.
//
// authenticate_admin() checks an operator's key: RATE_LIMITED while the
// address is locked out, UNAUTHORIZED without a valid, non-revoked key (a
// presented one counts towards the lock-out), FORBIDDEN for a provisioning
// key. Time comes from the Env. Thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "crypto/keyed_hash.h"
#include "domain/failure_limiter.h"
#include "domain/plan.h"
#include "domain/rate_limiter.h"
#include "env/env.h"
#include "service/settings.h"
#include "store/store.h"

namespace apiota::service {

// An operator authenticated by an admin key, confined to the key's project.
struct AdminPrincipal {
  store::KeyRecord key;
  store::ProjectRecord project;
};

class AccessControl {
 public:
  AccessControl(store::Store& store, const crypto::KeyedHasher& hasher, const Settings& settings, env::Env& env);

  void limit_address(std::string_view address);
  void limit_device(std::string_view device_id, const domain::Plan& plan);

  // Throws RATE_LIMITED when `device_id` is locked out for a caller at `address`.
  void refuse_if_device_locked(std::string_view device_id, std::string_view address);
  // Counts a wrong secret presented for `device` (a registered device) from `address`.
  void count_wrong_device_secret(const store::DeviceRecord& device, std::string_view address);
  // The device authenticated from `address`. Lock-free unless the device has
  // failures on record.
  void note_device_authenticated(std::string_view device_id, std::string_view address);
  // Lock-free: false when no failure of `device_id` is on record.
  bool device_has_failures(std::string_view device_id) const;

  // Throws RATE_LIMITED when `address` is locked out of key checks.
  void refuse_if_address_locked(std::string_view address);
  // Counts an unknown or revoked key presented from `address`.
  void count_wrong_key(std::string_view address);
  // A non-revoked key by its plaintext, or nullopt.
  std::optional<store::KeyRecord> find_active_key(std::string_view presented_key);

  // `presented_key` is the key an operator sent (nullopt: none in the form
  // the API asks for).
  AdminPrincipal authenticate_admin(std::optional<std::string_view> presented_key, std::string_view address);

  // Drops idle rate-limit buckets and expired failure records, so memory
  // follows the active fleet. Called periodically.
  void prune();

 private:
  store::Store& store_;
  const crypto::KeyedHasher& hasher_;
  const Settings& settings_;
  env::Env& env_;
  domain::RateLimiter device_limiter_;
  domain::RateLimiter address_limiter_;
  domain::FailureLimiter device_auth_failures_;
  domain::FailureLimiter key_auth_failures_;
};

// Refuses (FORBIDDEN) a request naming a project other than the operator's.
void require_same_project(const AdminPrincipal& admin, std::string_view project_id);

}  // namespace apiota::service
