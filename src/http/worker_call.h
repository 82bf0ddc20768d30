#pragma once
// Running blocking API work off the I/O threads.
//
// call_handler() runs `work` on the worker pool and resumes the calling
// coroutine on its own executor with the Response. Any exception is mapped
// here, at the API boundary: ApiError becomes its contract error body; a full
// disk (ENOSPC, EDQUOT, SQLite's SQLITE_FULL) is logged and becomes 507
// INSUFFICIENT_STORAGE; a store that cannot be reached (StoreUnavailable: a
// PostgreSQL server restarting or out of reach) becomes 503
// SERVICE_UNAVAILABLE with Retry-After, logged at most once a minute per
// thread; any other exception is logged and becomes a 500 that reveals
// nothing.

#include <spdlog/spdlog.h>

#include <exception>
#include <functional>

#include "api/error_response.h"
#include "http/beast_pch.h"

namespace apiota::http {

// The response for an exception thrown by API work (the mapping above).
api::Response response_for_exception(std::exception_ptr error);

api::Response run_guarded(const std::function<api::Response()>& work);

// The same mapping for a fast handler run in place (on the I/O thread).
std::optional<api::Response> run_guarded_fast(const std::function<std::optional<api::Response>()>& work);

inline boost::asio::awaitable<api::Response> call_handler(boost::asio::thread_pool& workers,
                                                          std::function<api::Response()> work) {
  co_return co_await boost::asio::co_spawn(
      workers.get_executor(),
      [&work]() -> boost::asio::awaitable<api::Response> { co_return run_guarded(work); },
      boost::asio::use_awaitable);
}

}  // namespace apiota::http
