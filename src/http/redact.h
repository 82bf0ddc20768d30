#pragma once
// Redaction of request targets before they reach a log line.
//
// redact_target() returns `target` with:
// - the value of every query parameter whose name, percent-decoded as the
//   server decodes it (no '+' to space), is `sig` or contains "secret",
//   "key", "token", "password" or "auth" (any case) replaced by REDACTED;
// - every run shaped like an API key, `pk_` and at least four key characters
//   (letters, digits, '_'), each character possibly percent-encoded, replaced
//   by pk_REDACTED wherever it appears (path, names, values);
// - `"`, `\`, control bytes and every byte outside printable ASCII written as
//   \xHH, so the result can stand between double quotes in a log line and
//   can neither end that field nor start another line.
// A target the server cannot parse (a stray '%', bad escapes) is redacted the
// same way: decoding is lenient, an invalid escape stands for itself.

#include <string>
#include <string_view>

namespace apiota::http {

std::string redact_target(std::string_view target);
// The same, appended to `out` (the access log's line buffer: no allocation).
void append_redacted_target(std::string& out, std::string_view target);

}  // namespace apiota::http
