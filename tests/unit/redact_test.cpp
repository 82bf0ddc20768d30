#include "http/redact.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace apiota::http {
namespace {

struct Case {
  const char* target;
  const char* expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.target; }

class RedactTest : public ::testing::TestWithParam<Case> {};

TEST_P(RedactTest, RemovesSecretValuesOnly) { EXPECT_EQ(redact_target(GetParam().target), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    Targets, RedactTest,
    ::testing::Values(
        Case{"/api/health", "/api/health"},
        Case{"/api/check-update?device_id=a&version=1.0.0&device_secret=s3cr3t-value-1234",
             "/api/check-update?device_id=a&version=1.0.0&device_secret=REDACTED"},
        Case{"/api/firmware/fw-1.0.0-stable.bin?d=dev&exp=1700000000&sig=abcdef",
             "/api/firmware/fw-1.0.0-stable.bin?d=dev&exp=1700000000&sig=REDACTED"},
        Case{"/x?pk_key=pk_live_abc&token=t&Password=p&api_key=k",
             "/x?pk_key=REDACTED&token=REDACTED&Password=REDACTED&api_key=REDACTED"},
        Case{"/x?device_secret=", "/x?device_secret=REDACTED"},
        Case{"/x?flag&device_secret=abc&", "/x?flag&device_secret=REDACTED&"},
        Case{"/x?", "/x?"}));

// The server percent-decodes parameter names, so redaction must too.
INSTANTIATE_TEST_SUITE_P(
    EncodedNames, RedactTest,
    ::testing::Values(Case{"/api/check-update?device_id=a&device_s%65cret=SECRET",
                           "/api/check-update?device_id=a&device_s%65cret=REDACTED"},
                      Case{"/api/firmware/fw.bin?d=a&s%69g=SIG", "/api/firmware/fw.bin?d=a&s%69g=REDACTED"},
                      Case{"/x?%53%49%47=SIG", "/x?%53%49%47=REDACTED"},
                      Case{"/x?device%5Fsecret=S", "/x?device%5Fsecret=REDACTED"},
                      Case{"/x?authorization=Bearer%20xyz", "/x?authorization=REDACTED"},
                      Case{"/x?X-Auth=abc&signal=1", "/x?X-Auth=REDACTED&signal=1"}));

// An API key is redacted wherever it appears, encoded or not.
INSTANTIATE_TEST_SUITE_P(
    KeyShaped, RedactTest,
    ::testing::Values(Case{"/x?authorization=Bearer%20pk_live_abcDEF123", "/x?authorization=REDACTED"},
                      Case{"/api/admin/keys/pk_live_abcDEF123?x=1", "/api/admin/keys/pk_REDACTED?x=1"},
                      Case{"/x?note=pk_live_abcDEF123&y=2", "/x?note=pk_REDACTED&y=2"},
                      Case{"/x?note=pk%5Flive_abcDEF123", "/x?note=pk_REDACTED"},
                      Case{"/x?note=%70%6b%5f%6C%69ve%5Fabc", "/x?note=pk_REDACTED"},
                      Case{"/x?note=PK_LIVE_abc", "/x?note=pk_REDACTED"},
                      Case{"/x?note=Bearer+pk_live_abc-rest", "/x?note=Bearer+pk_REDACTED-rest"},
                      Case{"/x?pk_live_abcDEF123", "/x?pk_REDACTED"},
                      Case{"/api/register?pk_key=", "/api/register?pk_key=REDACTED"},
                      Case{"/x?note=pk_ab&n=pk_", "/x?note=pk_ab&n=pk_"}));

// A target must not be able to end its quoted field or forge a log line.
INSTANTIATE_TEST_SUITE_P(
    Escaped, RedactTest,
    ::testing::Values(Case{"/x?a=\"b\" 200 0 0.1ms", "/x?a=\\x22b\\x22 200 0 0.1ms"},
                      Case{"/x\\y", "/x\\x5Cy"},
                      Case{"/x?a=1\r\n2026-01-01T00:00:00.000Z info forged",
                           "/x?a=1\\x0D\\x0A2026-01-01T00:00:00.000Z info forged"},
                      Case{"/x\t\x7f\xc3\xa9", "/x\\x09\\x7F\\xC3\\xA9"},
                      Case{"/x?s=\"&device_secret=\"S\"", "/x?s=\\x22&device_secret=REDACTED"}));

// Targets the server rejects as malformed are logged too, and redacted alike.
INSTANTIATE_TEST_SUITE_P(
    Malformed, RedactTest,
    ::testing::Values(Case{"/x?device_secret=abc%zz", "/x?device_secret=REDACTED"},
                      Case{"/x?%zz&device_s%65cret=a%", "/x?%zz&device_s%65cret=REDACTED"},
                      Case{"/x?device_secret%=S&y=%4", "/x?device_secret%=REDACTED&y=%4"},
                      Case{"http://h/x?sig=S#frag", "http://h/x?sig=REDACTED"},
                      Case{"/x/pk_live_abc%zz", "/x/pk_REDACTED%zz"}));

TEST(Redact, NeverLeaksTheSecretItself) {
  for (const char* target : {"/api/config?device_secret=topsecretvalue123&device_id=x",
                             "/api/config?device_s%65cret=topsecretvalue123", "/x?s%69g=topsecretvalue123",
                             "/x?Authorization=Bearer%20topsecretvalue123",
                             "/x?note=pk_live_topsecretvalue123", "/x?n=pk%5Flive%5Ftopsecretvalue123"}) {
    std::string out = redact_target(target);
    EXPECT_EQ(out.find("topsecretvalue123"), std::string::npos) << target << " -> " << out;
  }
}

}  // namespace
}  // namespace apiota::http
