#include "http/worker_call.h"

#include <cerrno>
#include <system_error>

#include "http/throttled_warning.h"
#include "store/store.h"

namespace apiota::http {
namespace {

bool is_disk_full(const std::system_error& e) {
  return e.code() == std::errc::no_space_on_device || e.code().value() == EDQUOT;
}

api::Response store_unavailable(const store::StoreUnavailable& e) {
  thread_local ThrottledWarning warning(std::chrono::minutes(1));
  warning.note(std::string("requests answered 503: the store cannot be reached: ") + e.what());
  return api::error_response(service::ErrorCode::ServiceUnavailable,
                             "the database cannot be reached just now; nothing was changed, retry later",
                             service::kStoreUnavailableRetryAfter);
}

api::Response disk_full(const std::exception& e) {
  spdlog::error("request failed, the disk is full: {}", e.what());
  return api::error_response(service::ErrorCode::InsufficientStorage,
                             "the server's disk is full; nothing was stored, retry later");
}

}  // namespace

api::Response response_for_exception(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const service::ApiError& e) {
    return api::error_response(e);
  } catch (const store::StoreFull& e) {
    return disk_full(e);
  } catch (const store::StoreUnavailable& e) {
    return store_unavailable(e);
  } catch (const std::system_error& e) {
    if (is_disk_full(e)) return disk_full(e);
    spdlog::error("request failed: {}", e.what());
  } catch (const std::exception& e) {
    spdlog::error("request failed: {}", e.what());
  }
  return api::error_response(service::ErrorCode::InternalError, "internal server error");
}

api::Response run_guarded(const std::function<api::Response()>& work) {
  return *run_guarded_fast([&]() -> std::optional<api::Response> { return work(); });
}

std::optional<api::Response> run_guarded_fast(const std::function<std::optional<api::Response>()>& work) {
  try {
    return work();
  } catch (const std::exception&) {
    return response_for_exception(std::current_exception());
  }
}

}  // namespace apiota::http
