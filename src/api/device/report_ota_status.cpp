#include <boost/json.hpp>

#include <span>

#include "api/api_error.h"
#include "service/attempt_tracking.h"
#include "api/auth.h"
#include "service/clock.h"
#include "api/device/device_api.h"
#include "service/fleet_cache.h"
#include "api/json_body.h"
#include "domain/ota_status.h"
#include "domain/semver.h"
#include "domain/update_attempt.h"

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

Response report_ota_status(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  boost::json::object body = req.body.empty() ? boost::json::object{} : parse_json_object(req.body);
  std::string status_text = required_param(req, &body, "status");
  auto status = domain::parse_ota_status(status_text);
  if (!status) {
    throw ApiError(ErrorCode::InvalidStatus,
                   "status must be one of pending, checking, downloading, verifying, flashing, rebooting, done, "
                   "failed");
  }
  auto from_version = version_field(req, body, "from_version");
  auto to_version = version_field(req, body, "to_version");
  auto message = param(req, &body, "message");
  store::DeviceRecord dev = authenticate_device(ctx, req, &body);

  store::OtaLogRecord log;
  log.device_id = dev.device_id;
  log.project_id = dev.project_id;
  log.status = std::string(domain::to_string(*status));
  log.from_version = from_version;
  log.to_version = to_version;
  log.message = message;
  log.received_at = service::now_ms();
  std::optional<std::string_view> new_version;
  if (*status == domain::OtaStatus::Done && to_version) new_version = *to_version;

  // Follow the device's update attempt (domain/update_attempt.h).
  const auto open = service::open_attempt_of(dev);
  std::optional<domain::AttemptRelease> named;
  const auto target = to_version ? domain::parse_semver(*to_version) : std::nullopt;
  if (target && (domain::is_in_progress(*status) || domain::is_terminal(*status))) {
    ctx.fleet.sync();
    auto catalog = ctx.fleet.load_catalog(dev.project_id);
    const std::span<const store::ReleaseRecord> releases =
        catalog ? std::span<const store::ReleaseRecord>(catalog->records) : std::span<const store::ReleaseRecord>();
    if (const auto* release = service::release_named_by(releases, dev, *target, open)) {
      named = domain::AttemptRelease{release->id, domain::parse_semver(release->version).value_or(*target)};
    }
  }
  const domain::AttemptStep step = domain::step_for_report(open, *status, named);
  std::int64_t id =
      ctx.store.append_ota_log(log, new_version, service::attempt_write(step, dev, log.status, from_version, log.received_at));
  // A device with an attempt is no longer settled (service/fleet_cache.h).
  if (step.start) ctx.fleet.forget_device(dev.device_id);
  if (step.end_open && open) {
    ctx.automation.attempt_ended(dev.project_id, open->release.id, *step.end_open, log.received_at);
  }
  if (step.start && step.start->ended) {
    ctx.automation.attempt_ended(dev.project_id, step.start->release.id, *step.start->ended, log.received_at);
  }

  Response res;
  res.body = boost::json::serialize(boost::json::object{
      {"success", true},
      {"id", id},
      {"status", log.status},
      {"received_at", service::iso8601(log.received_at)},
  });
  return res;
}

}  // namespace apiota::api::device
