#pragma once
// Limits on guessing credentials (docs/security.md, "Guessing"), over the
// two FailureLimiters of the Context:
// - per device id: wrong device secrets, on every path that checks one
//   (check-update, config, ota-log, downloads with device credentials, and
//   registering an existing id again). The address the device last
//   authenticated from (DeviceRecord::last_address) is its known peer, so a
//   guesser elsewhere cannot lock the device out at its usual address.
// - per client address: wrong keys, admin (Bearer) and provisioning
//   (pk_key at registration) alike, so a guessed key is guessed once.
//
// Callers ask refuse_if_*_locked() BEFORE they check the credential and
// count a failure only after a check failed: a locked-out request gets
// RATE_LIMITED with Retry-After = the seconds left of the lock-out, whether
// its credential is right or not. The limits apply whatever `rate_limit`
// says; Settings::auth_failures tunes them (max_failures 0 = off).

#include <string_view>

#include "api/context.h"
#include "store/records.h"

namespace apiota::api {

// Throws RATE_LIMITED when `device_id` is locked out for a caller at `address`.
void refuse_if_device_locked(Context& ctx, std::string_view device_id, std::string_view address);
// Counts a wrong secret presented for `device` (a registered device) from `address`.
void count_wrong_device_secret(Context& ctx, const store::DeviceRecord& device, std::string_view address);
// The device authenticated from `address`. Lock-free unless the device has
// failures on record.
void note_device_authenticated(Context& ctx, std::string_view device_id, std::string_view address);
// Lock-free: false when no failure of `device_id` is on record, so a
// successful check needs none of the above.
bool device_has_failures(const Context& ctx, std::string_view device_id);

// Throws RATE_LIMITED when `address` is locked out of key checks.
void refuse_if_address_locked(Context& ctx, std::string_view address);
// Counts an unknown or revoked key presented from `address`.
void count_wrong_key(Context& ctx, std::string_view address);

}  // namespace apiota::api
