#pragma once
// The device API of the contract (docs/api.md, "Device API"): each endpoint
// parses and validates its parameters, calls service::DeviceService and
// renders the answer. Routes that act for one authenticated device are a
// reader and an answer joined by the guard of api/device/device_guard.h.
// Handlers block on the store, so the http layer runs them on worker threads;
// download_firmware_from_memory() and the guard's memory route never do.
// Refusals are thrown as ApiError.

#include <boost/json/object.hpp>

#include <optional>

#include "api/context.h"
#include "api/request.h"
#include "domain/semver.h"
#include "service/device_service.h"

namespace apiota::api::device {

// Readers' results: the JSON body (empty unless the route reads one) and
// the parameters.
struct Poll {
  boost::json::object body;
  domain::SemVer current;
};
struct OtaReportRequest {
  boost::json::object body;
  service::OtaReport report;
};
struct NoParameters {
  boost::json::object body;
};

Response health(Context& ctx, const Request& req);  // GET /api/health

// GET /api/check-update
Poll read_poll(const Request& req);
Response check_update(Context& ctx, const Request& req, const service::AuthenticatedDevice& device, const Poll& poll);

// POST /api/ota-log
OtaReportRequest read_ota_report(const Request& req);
Response report_ota_status(Context& ctx, const Request& req, const service::AuthenticatedDevice& device,
                           const OtaReportRequest& report);

// GET /api/config
NoParameters read_nothing(const Request& req);
Response fetch_config(Context& ctx, const Request& req, const service::AuthenticatedDevice& device,
                      const NoParameters&);

Response register_device(Context& ctx, const Request& req);  // POST /api/register

// GET|HEAD /api/firmware/{filename}; the memory variant answers a signed (or
// public) URL of a cached release to a cached device, nullopt otherwise.
Response download_firmware(Context& ctx, const Request& req);
std::optional<Response> download_firmware_from_memory(Context& ctx, const Request& req);

}  // namespace apiota::api::device
