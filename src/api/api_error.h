#pragma once
// The API's error vocabulary: every error a client can see is one ErrorCode,
// rendered as {"error": CODE, "message": text, "status": http} with the
// status fixed per code (docs/errors.md lists them). Handlers throw ApiError;
// the http layer catches it at the boundary and renders it, so no exception
// crosses into the transport unhandled.

#include <stdexcept>
#include <string>
#include <string_view>

#include "api/request.h"

namespace apiota::api {

enum class ErrorCode {
  MissingParameter,
  InvalidParameter,
  InvalidJson,
  InvalidVersion,
  InvalidChannel,
  InvalidStatus,
  InvalidSecret,
  DeviceNotFound,
  InvalidPkKey,
  Unauthorized,
  Forbidden,
  DeviceBlocked,
  PlanLimitExceeded,
  NotFound,
  FirmwareNotFound,
  MethodNotAllowed,
  DeviceExists,
  VersionExists,
  ReleaseInUse,
  PayloadTooLarge,
  RangeNotSatisfiable,
  HeadersTooLarge,
  InvalidFirmware,
  RateLimited,
  InternalError,
  InsufficientStorage,
};

struct ErrorInfo {
  std::string_view name;  // UPPER_SNAKE, stable
  unsigned status;        // HTTP status
};

ErrorInfo describe(ErrorCode code);

class ApiError : public std::runtime_error {
 public:
  ApiError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// The contract's error body for `code`; a 429 also carries Retry-After: 60.
Response error_response(ErrorCode code, std::string_view message);

}  // namespace apiota::api
