#pragma once
// Running blocking API work off the I/O threads.
//
// call_handler() runs `work` on the worker pool and resumes the calling
// coroutine on its own executor with the Response. Any exception is mapped
// here, at the API boundary: ApiError becomes its contract error body; any
// other exception is logged and becomes a 500 that reveals nothing.

#include <spdlog/spdlog.h>

#include <exception>
#include <functional>

#include "api/api_error.h"
#include "http/beast_pch.h"

namespace apiota::http {

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
