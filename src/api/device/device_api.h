#pragma once
// The device API of the contract (docs/api.md, "Device API"): one handler per
// endpoint. Each parses and validates its parameters, authenticates the
// device (or provisioning key), applies the domain rule and renders JSON.
// Handlers block on the store, so the http layer runs them on worker threads
// (check_update_cached is the exception: it never touches the store).
// Refusals are thrown as ApiError.

#include "api/context.h"
#include "api/request.h"

namespace apiota::api::device {

Response health(Context& ctx, const Request& req);              // GET /api/health
Response check_update(Context& ctx, const Request& req);        // GET /api/check-update
// check-update from service/fleet_cache.h alone, on the I/O thread: answers a
// settled device whose project catalog is cached, std::nullopt otherwise.
// Same answers and errors as check_update().
std::optional<Response> check_update_cached(Context& ctx, const Request& req);
Response register_device(Context& ctx, const Request& req);     // POST /api/register
Response report_ota_status(Context& ctx, const Request& req);   // POST /api/ota-log
Response fetch_config(Context& ctx, const Request& req);        // GET /api/config
Response download_firmware(Context& ctx, const Request& req);   // GET|HEAD /api/firmware/{filename}
// A download by signed (or public) URL of a cached release to a cached
// device, on the I/O thread; std::nullopt hands the request to
// download_firmware(). Same answers and errors.
std::optional<Response> download_firmware_cached(Context& ctx, const Request& req);

}  // namespace apiota::api::device
