#pragma once
// Test support: the `apiota` binary that black-box tests start.
//
// It is $APIOTA_TEST_BINARY when that is set and not empty (scripts/test.sh
// points it at the AddressSanitizer build, so the release build's test
// binaries exercise a sanitized server), else the binary built next to the
// tests. The returned pointer stays valid for the life of the process.

namespace apiota::testing {

const char* apiota_binary();

}  // namespace apiota::testing
