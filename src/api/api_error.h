#pragma once
// The API's error vocabulary: every error a client can see is one ErrorCode,
// rendered as {"error": CODE, "message": text, "status": http} with the
// status fixed per code (docs/api.md, "Errors", lists them with when each is
// answered; tests/docs/check_docs.py keeps that table complete). Handlers
// throw ApiError; the http layer catches it at the boundary and renders it,
// so no exception crosses into the transport unhandled.

#include <chrono>
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

// What a 429 tells a client to wait, unless the refusal knows better (a
// lock-out says how long it has left).
inline constexpr std::chrono::seconds kDefaultRetryAfter{60};

class ApiError : public std::runtime_error {
 public:
  ApiError(ErrorCode code, const std::string& message, std::chrono::seconds retry_after = kDefaultRetryAfter)
      : std::runtime_error(message), code_(code), retry_after_(retry_after) {}
  ErrorCode code() const { return code_; }
  // Sent as Retry-After with RATE_LIMITED; ignored for other codes.
  std::chrono::seconds retry_after() const { return retry_after_; }

 private:
  ErrorCode code_;
  std::chrono::seconds retry_after_;
};

// The contract's error body for `code`. A 429 always carries Retry-After:
// `retry_after` in whole seconds, at least 1.
Response error_response(ErrorCode code, std::string_view message,
                        std::chrono::seconds retry_after = kDefaultRetryAfter);
// The same for a thrown error, with its own Retry-After.
Response error_response(const ApiError& error);

}  // namespace apiota::api
