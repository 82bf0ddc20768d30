#include "http/worker_call.h"

namespace apiota::http {

api::Response run_guarded(const std::function<api::Response()>& work) {
  return *run_guarded_fast([&]() -> std::optional<api::Response> { return work(); });
}

std::optional<api::Response> run_guarded_fast(const std::function<std::optional<api::Response>()>& work) {
  try {
    return work();
  } catch (const api::ApiError& e) {
    return api::error_response(e);
  } catch (const std::exception& e) {
    spdlog::error("request failed: {}", e.what());
    return api::error_response(api::ErrorCode::InternalError, "internal server error");
  }
}

}  // namespace apiota::http
