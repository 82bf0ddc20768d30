#pragma once
// Test support: small checks and request helpers shared by the black-box tests
// that talk to a ServerProcess through cpp-httplib.
//
// is_error() is a gtest predicate: it fails (with the response in the message)
// when there is no response, the HTTP status differs, the body is not a JSON
// object whose "error" is the expected code, or the body's "status" field is not
// the HTTP status. admin_get() records a non-fatal failure (ADD_FAILURE) and
// returns null unless the server answers 200 with JSON. The other functions
// never fail a test. Everything returns values the caller owns; nothing keeps
// state between calls.

#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>

#include <ctime>
#include <string>

#include "support/server_process.h"

namespace apiota::testing {

// {"Authorization": "Bearer KEY"}.
httplib::Headers bearer(const std::string& key);

// The response is `status` with the JSON error body {"error": CODE, "status": STATUS, ...}.
::testing::AssertionResult is_error(const httplib::Result& res, int status, const std::string& code);

// The HTTP status, or -1 when there was no response.
int status_of(const httplib::Result& res);

// The last line of `text`, trailing line breaks ignored (CLI output ends with
// the value a test wants, e.g. a created key).
std::string last_line(const std::string& text);

// "/api/check-update?device_id=ID&version=VERSION&device_secret=SECRET", unescaped.
std::string check_update_path(const std::string& device_id, const std::string& version, const std::string& secret);

// GET `path` with `key` as bearer; the parsed body (null after ADD_FAILURE unless 200).
boost::json::value admin_get(httplib::Client& client, const std::string& key, const std::string& path);
// The same on a fresh client with the server's first admin key.
boost::json::value admin_get(const ServerProcess& server, const std::string& path);

// Seconds since the epoch of a "YYYY-MM-DDTHH:MM:SSZ" timestamp, 0 if it does not parse.
std::time_t parse_iso8601(const std::string& text);

}  // namespace apiota::testing
