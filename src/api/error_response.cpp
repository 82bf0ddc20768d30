#include "api/error_response.h"

#include <boost/json.hpp>

#include <algorithm>
#include <string>

namespace apiota::api {

ErrorInfo describe(ErrorCode code) {
  switch (code) {
    case ErrorCode::MissingParameter: return {"MISSING_PARAMETER", 400};
    case ErrorCode::InvalidParameter: return {"INVALID_PARAMETER", 400};
    case ErrorCode::InvalidJson: return {"INVALID_JSON", 400};
    case ErrorCode::InvalidVersion: return {"INVALID_VERSION", 400};
    case ErrorCode::InvalidChannel: return {"INVALID_CHANNEL", 400};
    case ErrorCode::InvalidStatus: return {"INVALID_STATUS", 400};
    case ErrorCode::InvalidFirmware: return {"INVALID_FIRMWARE", 400};
    case ErrorCode::InvalidSecret: return {"INVALID_SECRET", 401};
    case ErrorCode::DeviceNotFound: return {"DEVICE_NOT_FOUND", 401};
    case ErrorCode::InvalidPkKey: return {"INVALID_PK_KEY", 401};
    case ErrorCode::Unauthorized: return {"UNAUTHORIZED", 401};
    case ErrorCode::Forbidden: return {"FORBIDDEN", 403};
    case ErrorCode::DeviceBlocked: return {"DEVICE_BLOCKED", 403};
    case ErrorCode::PlanLimitExceeded: return {"PLAN_LIMIT_EXCEEDED", 403};
    case ErrorCode::NotFound: return {"NOT_FOUND", 404};
    case ErrorCode::FirmwareNotFound: return {"FIRMWARE_NOT_FOUND", 404};
    case ErrorCode::MethodNotAllowed: return {"METHOD_NOT_ALLOWED", 405};
    case ErrorCode::DeviceExists: return {"DEVICE_EXISTS", 409};
    case ErrorCode::VersionExists: return {"VERSION_EXISTS", 409};
    case ErrorCode::ReleaseInUse: return {"RELEASE_IN_USE", 409};
    case ErrorCode::PayloadTooLarge: return {"PAYLOAD_TOO_LARGE", 413};
    case ErrorCode::RangeNotSatisfiable: return {"RANGE_NOT_SATISFIABLE", 416};
    case ErrorCode::HeadersTooLarge: return {"HEADERS_TOO_LARGE", 431};
    case ErrorCode::RateLimited: return {"RATE_LIMITED", 429};
    case ErrorCode::InternalError: return {"INTERNAL_ERROR", 500};
    case ErrorCode::ServiceUnavailable: return {"SERVICE_UNAVAILABLE", 503};
    case ErrorCode::InsufficientStorage: return {"INSUFFICIENT_STORAGE", 507};
  }
  return {"INTERNAL_ERROR", 500};
}

Response error_response(ErrorCode code, std::string_view message, std::chrono::seconds retry_after) {
  ErrorInfo info = describe(code);
  Response res;
  res.status = info.status;
  res.body = boost::json::serialize(boost::json::object{
      {"error", info.name},
      {"message", message},
      {"status", info.status},
  });
  if (code == ErrorCode::RateLimited || code == ErrorCode::ServiceUnavailable) {
    const auto seconds = std::max<std::chrono::seconds::rep>(retry_after.count(), 1);
    res.headers.emplace_back("Retry-After", std::to_string(seconds));
  }
  return res;
}

Response error_response(const ApiError& error) {
  return error_response(error.code(), error.what(), error.retry_after());
}

}  // namespace apiota::api
