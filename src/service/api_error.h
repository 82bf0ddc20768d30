#pragma once
// The error vocabulary of the APIOTA contract: every refusal a client can see
// is one ErrorCode (docs/api.md, "Errors", lists them with when each is
// answered). Use-cases throw ApiError with the code and a message for the
// client; the api layer renders it with its HTTP status (api/error_response.h),
// so the same rule refuses the same way over HTTP and the command line.

#include <chrono>
#include <stdexcept>
#include <string>

namespace apiota::service {


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
  ServiceUnavailable,
  InsufficientStorage,
};

// What a 429 tells a client to wait, unless the refusal knows better (a
// lock-out says how long it has left).
inline constexpr std::chrono::seconds kDefaultRetryAfter{60};
// What a 503 tells a client to wait: the store was unreachable (a
// PostgreSQL server restarting), which its connections retry by themselves.
inline constexpr std::chrono::seconds kStoreUnavailableRetryAfter{5};

class ApiError : public std::runtime_error {
 public:
  ApiError(ErrorCode code, const std::string& message, std::chrono::seconds retry_after = kDefaultRetryAfter)
      : std::runtime_error(message), code_(code), retry_after_(retry_after) {}
  ErrorCode code() const { return code_; }
  // Sent as Retry-After with RATE_LIMITED and SERVICE_UNAVAILABLE; ignored
  // for other codes.
  std::chrono::seconds retry_after() const { return retry_after_; }

 private:
  ErrorCode code_;
  std::chrono::seconds retry_after_;
};

}  // namespace apiota::service
