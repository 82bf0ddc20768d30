#include <boost/json.hpp>

#include <algorithm>
#include <vector>

#include <spdlog/spdlog.h>

#include <chrono>
#include <span>

#include "api/api_error.h"
#include "api/attempt_tracking.h"
#include "api/auth.h"
#include "api/clock.h"
#include "api/device/device_api.h"
#include "api/firmware_url.h"
#include "api/json_body.h"
#include "api/release_view.h"
#include "domain/release_decision.h"
#include "domain/semver.h"

namespace apiota::api::device {
namespace {

// Ends the device's open update attempt when this poll shows how it went
// (domain::end_for_poll), and tells the decision what is still in progress
// and which releases the device's bootloader rolled back from.
void follow_attempt(Context& ctx, const store::DeviceRecord& dev, std::span<const store::ReleaseRecord> records,
                    const domain::SemVer& current, std::int64_t now, domain::DeviceView& device) {
  device.refused_release_ids = dev.rolled_back_release_ids;
  auto open = open_attempt_of(dev);
  if (!open) return;
  auto release = std::find_if(records.begin(), records.end(),
                              [&](const store::ReleaseRecord& r) { return r.id == open->release.id; });
  const std::chrono::seconds stuck_after(release == records.end() ? 3600 : release->stuck_after_s);
  const auto end = domain::end_for_poll(open, current, std::chrono::system_clock::time_point(std::chrono::milliseconds(now)),
                                        stuck_after);
  if (!end) {
    if (domain::is_in_progress(open->status)) device.update_in_progress = open->release.id;
    return;
  }
  store::AttemptWrite write{now, dev.open_attempt->id, std::string(domain::to_string(*end)), {}, {}};
  if (*end == domain::AttemptEnd::RolledBack) {
    device.refused_release_ids.push_back(open->release.id);
    spdlog::warn("device {}: bootloader rollback from release {} ({}) to {}; it will not be offered again",
                 dev.device_id, open->release.id, open->release.version.to_string(), current.to_string());
  }
  if (*end == domain::AttemptEnd::Succeeded) {
    if (!ctx.store.apply_attempt_write(write)) return;
  } else {
    // A failure the device did not report itself goes into its OTA log.
    store::OtaLogRecord log{0,
                            dev.device_id,
                            dev.project_id,
                            "failed",
                            dev.open_attempt->from_version,
                            dev.open_attempt->target_version,
                            *end == domain::AttemptEnd::RolledBack
                                ? "apiota: bootloader rollback detected: the device rebooted into " +
                                      dev.open_attempt->target_version + " but runs " + current.to_string() +
                                      " again; that release will not be offered to it again"
                                : "apiota: no report since '" + dev.open_attempt->status +
                                      "' for longer than the release's stuck_after; counted as a failed (stuck) update",
                            now};
    ctx.store.append_ota_log(log, std::nullopt, write);
  }
  ctx.automation.attempt_ended(dev.project_id, open->release.id, *end, now);
}

}  // namespace

Response check_update(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  std::string version_text = required_param(req, nullptr, "version");
  auto current = domain::parse_reported_version(version_text);
  if (!current) throw ApiError(ErrorCode::InvalidVersion, "version is not a semantic version (e.g. 1.2.0)");
  store::DeviceRecord dev = authenticate_device(ctx, req, nullptr);

  std::int64_t now = now_ms();
  ctx.seen.record({dev.row_id, current->to_string(), now, req.remote_address});

  domain::DeviceView device;
  device.device_id = dev.device_id;
  device.current = *current;
  device.channel = domain::parse_channel(dev.channel).value_or(domain::Channel::Stable);
  auto records = ctx.store.list_releases(dev.project_id);
  std::vector<domain::ReleaseView> releases;
  releases.reserve(records.size());
  for (const auto& record : records) {
    auto view = release_view(record);
    if (!view) continue;
    // The image the device runs is known when its version was released
    // here; its secure_version bounds what the device can still install.
    if (domain::same_precedence(view->version, *current)) {
      device.current_secure_version = std::max(device.current_secure_version.value_or(0), view->secure_version);
    }
    releases.push_back(std::move(*view));
  }
  // Tags are read only when a release or a pin needs them.
  auto pins = ctx.store.list_pins(dev.project_id);
  bool tag_pins = std::any_of(pins.begin(), pins.end(), [](const auto& p) { return p.scope == "tag"; });
  if (tag_pins ||
      std::any_of(records.begin(), records.end(), [](const auto& r) { return !r.rollout_tags.empty(); })) {
    device.tags = ctx.store.device_tags(dev.device_id);
  }
  for (const auto& pin : pins) {
    auto version = domain::parse_semver(pin.version);
    if (!version) continue;
    if (pin.scope == "device" && pin.subject == dev.device_id) device.device_pin = domain::DevicePin{*version};
    if (pin.scope == "tag" && !device.tag_pin &&
        std::find(device.tags.begin(), device.tags.end(), pin.subject) != device.tags.end()) {
      device.tag_pin = domain::DevicePin{*version};
    }
  }
  follow_attempt(ctx, dev, records, *current, now, device);
  domain::Decision decision = domain::decide_release(device, releases);

  Response res;
  if (decision.kind == domain::Decision::Kind::NoUpdate) {
    res.body = R"({"update":false})";
    return res;
  }
  auto release = std::find_if(records.begin(), records.end(),
                              [&](const store::ReleaseRecord& r) { return r.id == decision.release_id; });
  boost::json::object out{
      {"update", true},
      {"version", release->version},
      {"url", download_url(ctx.settings, ctx.hasher, release->filename, dev.device_id, now / 1000)},
      {"sha256", release->sha256},
      {"size", release->size},
      {"channel", release->channel},
  };
  if (decision.kind == domain::Decision::Kind::Rollback) out["rollback"] = true;
  res.body = boost::json::serialize(out);
  return res;
}

}  // namespace apiota::api::device
