#pragma once

// The eight progress states an ESP32 reports through POST /api/ota-log:
// pending -> checking -> downloading -> verifying -> flashing -> rebooting ->
// done | failed. Devices may skip states or repeat them; nothing here
// enforces an order, because reports arrive over an unreliable network.
//
// parse_ota_status() accepts exactly the lowercase names above and returns
// std::nullopt for anything else (the API answers 400 INVALID_STATUS).
// to_string() returns that same spelling; the view refers to static storage.
// is_terminal() is true for done and failed: the attempt is over.
// is_in_progress() is true for downloading, verifying, flashing and
// rebooting: the device has committed to an image and is applying it.
// pending and checking are neither.
//
// A store reads a stored name this binary does not know as Pending: neither
// in progress (an attempt in it is never counted stuck) nor terminal.
//
// All functions are pure and safe to call concurrently.

#include <optional>
#include <string_view>

namespace apiota::domain {

enum class OtaStatus { Pending, Checking, Downloading, Verifying, Flashing, Rebooting, Done, Failed };

std::optional<OtaStatus> parse_ota_status(std::string_view text);

std::string_view to_string(OtaStatus status);

bool is_terminal(OtaStatus status);

bool is_in_progress(OtaStatus status);

}  // namespace apiota::domain
