#include "api/error_response.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

namespace apiota::api {
namespace {

struct Row {
  ErrorCode code;
  const char* name;
  unsigned status;
};

// The contract's table: codes and statuses are part of the API.
const Row kRows[] = {
    {ErrorCode::MissingParameter, "MISSING_PARAMETER", 400},
    {ErrorCode::InvalidParameter, "INVALID_PARAMETER", 400},
    {ErrorCode::InvalidJson, "INVALID_JSON", 400},
    {ErrorCode::InvalidVersion, "INVALID_VERSION", 400},
    {ErrorCode::InvalidChannel, "INVALID_CHANNEL", 400},
    {ErrorCode::InvalidStatus, "INVALID_STATUS", 400},
    {ErrorCode::InvalidFirmware, "INVALID_FIRMWARE", 400},
    {ErrorCode::DeviceNotFound, "DEVICE_NOT_FOUND", 401},
    {ErrorCode::InvalidSecret, "INVALID_SECRET", 401},
    {ErrorCode::InvalidPkKey, "INVALID_PK_KEY", 401},
    {ErrorCode::Unauthorized, "UNAUTHORIZED", 401},
    {ErrorCode::Forbidden, "FORBIDDEN", 403},
    {ErrorCode::DeviceBlocked, "DEVICE_BLOCKED", 403},
    {ErrorCode::PlanLimitExceeded, "PLAN_LIMIT_EXCEEDED", 403},
    {ErrorCode::NotFound, "NOT_FOUND", 404},
    {ErrorCode::FirmwareNotFound, "FIRMWARE_NOT_FOUND", 404},
    {ErrorCode::MethodNotAllowed, "METHOD_NOT_ALLOWED", 405},
    {ErrorCode::DeviceExists, "DEVICE_EXISTS", 409},
    {ErrorCode::VersionExists, "VERSION_EXISTS", 409},
    {ErrorCode::ReleaseInUse, "RELEASE_IN_USE", 409},
    {ErrorCode::PayloadTooLarge, "PAYLOAD_TOO_LARGE", 413},
    {ErrorCode::RangeNotSatisfiable, "RANGE_NOT_SATISFIABLE", 416},
    {ErrorCode::RateLimited, "RATE_LIMITED", 429},
    {ErrorCode::HeadersTooLarge, "HEADERS_TOO_LARGE", 431},
    {ErrorCode::InternalError, "INTERNAL_ERROR", 500},
    {ErrorCode::ServiceUnavailable, "SERVICE_UNAVAILABLE", 503},
    {ErrorCode::InsufficientStorage, "INSUFFICIENT_STORAGE", 507},
};

TEST(ApiError, EachCodeHasItsContractNameAndStatus) {
  for (const auto& row : kRows) {
    ErrorInfo info = describe(row.code);
    EXPECT_EQ(info.name, row.name);
    EXPECT_EQ(info.status, row.status) << row.name;
  }
}

TEST(ApiError, NamesAreUnique) {
  std::set<std::string_view> names;
  for (const auto& row : kRows) EXPECT_TRUE(names.insert(describe(row.code).name).second) << row.name;
}

TEST(ApiError, BodyCarriesErrorMessageAndStatus) {
  Response res = error_response(ErrorCode::DeviceNotFound, "device_id not registered");
  EXPECT_EQ(res.status, 401u);
  EXPECT_EQ(res.content_type, "application/json");
  auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("error"), "DEVICE_NOT_FOUND");
  EXPECT_EQ(body.at("message"), "device_id not registered");
  EXPECT_EQ(body.at("status"), 401);
  EXPECT_TRUE(res.headers.empty());
}

TEST(ApiError, RateLimitedCarriesRetryAfter) {
  Response res = error_response(ErrorCode::RateLimited, "slow down");
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0].first, "Retry-After");
  EXPECT_EQ(res.headers[0].second, "60");
}

TEST(ApiError, AThrownRefusalSaysHowLongToWait) {
  Response res = error_response(ApiError(ErrorCode::RateLimited, "locked out", std::chrono::seconds(17)));
  EXPECT_EQ(res.status, 429u);
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0].first, "Retry-After");
  EXPECT_EQ(res.headers[0].second, "17");
  EXPECT_EQ(boost::json::parse(res.body).at("message"), "locked out");
  // Never less than a second; the default stays the contract's 60.
  EXPECT_EQ(error_response(ApiError(ErrorCode::RateLimited, "x", std::chrono::seconds(0))).headers[0].second, "1");
  EXPECT_EQ(error_response(ApiError(ErrorCode::RateLimited, "x")).headers[0].second, "60");
  // A 503 says when to come back too.
  Response unavailable = error_response(ApiError(ErrorCode::ServiceUnavailable, "x", std::chrono::seconds(5)));
  EXPECT_EQ(unavailable.status, 503u);
  ASSERT_EQ(unavailable.headers.size(), 1u);
  EXPECT_EQ(unavailable.headers[0].second, "5");
  // Other codes carry no Retry-After.
  EXPECT_TRUE(error_response(ApiError(ErrorCode::InvalidSecret, "x", std::chrono::seconds(5))).headers.empty());
}

TEST(ApiError, MessagesAreEscapedJson) {
  Response res = error_response(ErrorCode::InvalidParameter, "quote \" and \\ and \n newline");
  auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("message"), "quote \" and \\ and \n newline");
}

}  // namespace
}  // namespace apiota::api
