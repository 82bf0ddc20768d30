#pragma once
// Redaction of secrets from request targets before they reach a log line.
// The values of device_secret, pk_key, sig and any parameter whose name
// contains "secret", "key", "token" or "password" become "REDACTED"; the
// rest of the target is kept as sent.

#include <string>
#include <string_view>

namespace apiota::http {

std::string redact_target(std::string_view target);

}  // namespace apiota::http
