#include "http/redact.h"

#include <gtest/gtest.h>

namespace apiota::http {
namespace {

struct Case {
  const char* target;
  const char* expected;
};

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

TEST(Redact, NeverLeaksTheSecretItself) {
  std::string out = redact_target("/api/config?device_secret=topsecretvalue123&device_id=x");
  EXPECT_EQ(out.find("topsecretvalue123"), std::string::npos);
}

}  // namespace
}  // namespace apiota::http
