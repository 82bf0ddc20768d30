#pragma once
// Rendering the contract's errors (service/api_error.h) over HTTP: every
// ErrorCode has a fixed status and is answered as {"error": CODE, "message":
// text, "status": http} (tests/docs/check_docs.py keeps docs/api.md's table
// complete). Handlers let ApiError propagate; the http layer catches it at the
// boundary and renders it, so no exception crosses into the transport
// unhandled.

#include <chrono>
#include <string_view>

#include "api/request.h"
#include "service/api_error.h"

namespace apiota::api {

using service::ApiError;
using service::ErrorCode;
using service::kDefaultRetryAfter;

struct ErrorInfo {
  std::string_view name;  // UPPER_SNAKE, stable
  unsigned status;        // HTTP status
};

ErrorInfo describe(ErrorCode code);

// The contract's error body for `code`. A 429 and a 503 always carry
// Retry-After: `retry_after` in whole seconds, at least 1.
Response error_response(ErrorCode code, std::string_view message,
                        std::chrono::seconds retry_after = kDefaultRetryAfter);
// The same for a thrown error, with its own Retry-After.
Response error_response(const ApiError& error);

}  // namespace apiota::api
