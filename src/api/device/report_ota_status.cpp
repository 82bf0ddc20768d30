#include <boost/json.hpp>

#include "api/error_response.h"
#include "api/device/device_api.h"
#include "api/json_body.h"
#include "domain/ota_status.h"
#include "service/clock.h"

namespace apiota::api::device {
namespace {

// A version field of a report: absent/empty stays absent; otherwise it must
// parse and is stored normalized.
std::optional<std::string> version_field(const Request& req, const boost::json::object& body, std::string_view name) {
  auto text = param(req, &body, name);
  if (!text || text->empty()) return std::nullopt;
  auto parsed = domain::parse_reported_version(*text);
  if (!parsed) throw ApiError(ErrorCode::InvalidVersion, std::string(name) + " is not a semantic version");
  return parsed->to_string();
}

}  // namespace

OtaReportRequest read_ota_report(const Request& req) {
  OtaReportRequest out;
  if (!req.body.empty()) out.body = parse_json_object(req.body);
  std::string status_text = required_param(req, &out.body, "status");
  auto status = domain::parse_ota_status(status_text);
  if (!status) {
    throw ApiError(ErrorCode::InvalidStatus,
                   "status must be one of pending, checking, downloading, verifying, flashing, rebooting, done, "
                   "failed");
  }
  out.report.status = *status;
  out.report.from_version = version_field(req, out.body, "from_version");
  out.report.to_version = version_field(req, out.body, "to_version");
  out.report.message = param(req, &out.body, "message");
  return out;
}

Response report_ota_status(Context& ctx, const Request&, const service::AuthenticatedDevice& device,
                           const OtaReportRequest& request) {
  const service::OtaReceipt receipt = ctx.devices.report_ota(device, request.report);
  Response res;
  res.body = boost::json::serialize(boost::json::object{
      {"success", true},
      {"id", receipt.id},
      {"status", receipt.status},
      {"received_at", service::iso8601(receipt.received_at)},
  });
  return res;
}

}  // namespace apiota::api::device
