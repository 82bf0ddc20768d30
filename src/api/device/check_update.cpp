#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <span>
#include <vector>

#include "api/api_error.h"
#include "service/attempt_tracking.h"
#include "api/auth.h"
#include "api/auth_failures.h"
#include "service/clock.h"
#include "api/device/device_api.h"
#include "api/request_origin.h"
#include "service/firmware_url.h"
#include "service/fleet_cache.h"
#include "api/json_body.h"
#include "crypto/keyed_hash.h"
#include "domain/release_decision.h"
#include "domain/semver.h"

namespace apiota::api::device {
namespace {

domain::SemVer reported_version(const Request& req) {
  std::string version_text = required_param(req, nullptr, "version");
  auto current = domain::parse_reported_version(version_text);
  if (!current) throw ApiError(ErrorCode::InvalidVersion, "version is not a semantic version (e.g. 1.2.0)");
  return *current;
}

// The device as the decision sees it, from the project's catalog: channel,
// the secure_version of the image it runs (known when its version was
// released here), and its pins (a device pin, else the first tag pin among
// `tags`).
domain::DeviceView device_view(const service::ProjectCatalog& catalog, std::string_view device_id,
                               const domain::SemVer& current, domain::Channel channel,
                               std::vector<std::string> tags) {
  domain::DeviceView device;
  device.device_id = std::string(device_id);
  device.current = current;
  device.channel = channel;
  device.tags = std::move(tags);
  for (const auto& view : catalog.views) {
    if (domain::same_precedence(view.version, current)) {
      device.current_secure_version = std::max(device.current_secure_version.value_or(0), view.secure_version);
    }
  }
  for (const auto& pin : catalog.pins) {
    auto version = domain::parse_semver(pin.version);
    if (!version) continue;
    if (pin.scope == "device" && pin.subject == device_id) device.device_pin = domain::DevicePin{*version};
    if (pin.scope == "tag" && !device.tag_pin &&
        std::find(device.tags.begin(), device.tags.end(), pin.subject) != device.tags.end()) {
      device.tag_pin = domain::DevicePin{*version};
    }
  }
  return device;
}

// Rendered for each request (never cached): the URL carries this request's
// origin when no public URL is configured.
Response answer(Context& ctx, const Request& req, const service::ProjectCatalog& catalog, const domain::DeviceView& device,
                std::int64_t now) {
  domain::Decision decision = domain::decide_release(device, catalog.views);
  Response res;
  const store::ReleaseRecord* release =
      decision.kind == domain::Decision::Kind::NoUpdate ? nullptr : catalog.record(decision.release_id);
  if (release == nullptr) {
    res.body = R"({"update":false})";
    return res;
  }
  boost::json::object out{
      {"update", true},
      {"version", release->version},
      {"url", service::download_url(ctx.settings, ctx.hasher, download_base(ctx.settings, req), release->filename,
                           device.device_id, now / 1000)},
      {"sha256", release->sha256},
      {"size", release->size},
      {"channel", release->channel},
  };
  if (decision.kind == domain::Decision::Kind::Rollback) out["rollback"] = true;
  res.body = boost::json::serialize(out);
  return res;
}

// The secret as device_credentials() reads it for check-update (the query,
// else the header), without throwing: nullopt for anything it would refuse.
std::optional<std::string_view> presented_secret(const Request& req) {
  std::optional<std::string_view> secret = req.query_param("device_secret");
  if (!secret || secret->empty()) secret = req.header("x-device-secret");
  if (!secret || secret->empty() || secret->size() > kMaxParamLength) return std::nullopt;
  return secret;
}

// Ends the device's open update attempt when this poll shows how it went
// (domain::end_for_poll), and tells the decision what is still in progress
// and which releases the device's bootloader rolled back from.
void follow_attempt(Context& ctx, const store::DeviceRecord& dev, const service::ProjectCatalog& catalog,
                    const domain::SemVer& current, std::int64_t now, domain::DeviceView& device) {
  device.refused_release_ids = dev.rolled_back_release_ids;
  auto open = service::open_attempt_of(dev);
  if (!open) return;
  const store::ReleaseRecord* release = catalog.record(open->release.id);
  const std::chrono::seconds stuck_after(release == nullptr ? 3600 : release->stuck_after_s);
  const auto end = domain::end_for_poll(
      open, current, std::chrono::system_clock::time_point(std::chrono::milliseconds(now)), stuck_after);
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
    ctx.store.append_ota_log(service::unreported_failure_log(*dev.open_attempt, *end, current.to_string(), now), std::nullopt,
                             write);
  }
  ctx.automation.attempt_ended(dev.project_id, open->release.id, *end, now);
}

}  // namespace

std::optional<Response> check_update_cached(Context& ctx, const Request& req) {
  // Decide whether the cache can answer before anything that counts or
  // throws, so a hand-over to check_update() behaves exactly like it alone.
  const std::optional<std::string_view> presented = req.query_param("device_id");
  if (!presented || presented->empty()) return std::nullopt;
  ctx.fleet.sync();
  auto entry = ctx.fleet.find_device(*presented);
  if (!entry) return std::nullopt;
  auto catalog = ctx.fleet.find_catalog(entry->project_id);
  if (!catalog) return std::nullopt;
  // Only the right secret of a device with no failed authentication on
  // record is answered here. check_update() counts a wrong secret and
  // answers a device with failures on record (locked out or not) before
  // comparing its secret, so neither the answer nor its timing tells a
  // guesser whether a secret sent to a locked-out device was right.
  if (device_has_failures(ctx, *presented)) return std::nullopt;
  const std::optional<std::string_view> secret = presented_secret(req);
  if (!secret || !crypto::constant_time_equal(service::hash_device_secret(ctx.hasher, entry->salt(), *secret), entry->hash())) {
    return std::nullopt;
  }
  const std::string device_id(*presented);

  limit_address(ctx, req);
  const domain::SemVer current = reported_version(req);
  if (entry->blocked) throw ApiError(ErrorCode::DeviceBlocked, "this device is blocked");
  limit_device(ctx, device_id, catalog->project.plan);

  const std::int64_t now = service::now_ms();
  ctx.seen.record({entry->row_id, current.to_string(), now, req.remote_address});
  // Cached devices are settled: no tags, no update in progress, nothing refused.
  return answer(ctx, req, *catalog, device_view(*catalog, device_id, current, entry->channel, {}), now);
}

Response check_update(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  const domain::SemVer current = reported_version(req);
  const std::uint64_t epoch = ctx.fleet.device_epoch(device_credentials(req, nullptr).device_id);
  store::DeviceRecord dev = authenticate_device(ctx, req, nullptr);

  const std::int64_t now = service::now_ms();
  ctx.seen.record({dev.row_id, current.to_string(), now, req.remote_address});

  ctx.fleet.sync();
  auto catalog = ctx.fleet.load_catalog(dev.project_id);
  if (!catalog) throw ApiError(ErrorCode::DeviceNotFound, "the device's project no longer exists");
  std::vector<std::string> tags = ctx.store.device_tags(dev.device_id);
  ctx.fleet.offer_device(dev, !tags.empty(), epoch);
  domain::DeviceView device = device_view(*catalog, dev.device_id, current,
                                          domain::parse_channel(dev.channel).value_or(domain::Channel::Stable),
                                          std::move(tags));
  follow_attempt(ctx, dev, *catalog, current, now, device);
  return answer(ctx, req, *catalog, device, now);
}

}  // namespace apiota::api::device
