#include <boost/json.hpp>

#include <vector>

#include "api/api_error.h"
#include "api/auth.h"
#include "api/clock.h"
#include "api/device/device_api.h"
#include "api/firmware_url.h"
#include "api/json_body.h"
#include "domain/channel.h"
#include "domain/semver.h"
#include "domain/update_decision.h"

namespace apiota::api::device {

Response check_update(Context& ctx, const Request& req) {
  limit_address(ctx, req);
  std::string version_text = required_param(req, nullptr, "version");
  auto current = domain::parse_reported_version(version_text);
  if (!current) throw ApiError(ErrorCode::InvalidVersion, "version is not a semantic version (e.g. 1.2.0)");
  store::DeviceRecord dev = authenticate_device(ctx, req, nullptr);

  std::int64_t now = now_ms();
  ctx.seen.record({dev.row_id, current->to_string(), now, req.remote_address});

  auto releases = ctx.store.list_releases(dev.project_id);
  std::vector<domain::ReleaseCandidate> candidates;
  candidates.reserve(releases.size());
  for (const auto& r : releases) {
    auto version = domain::parse_semver(r.version);
    auto channel = domain::parse_channel(r.channel);
    if (version && channel) candidates.push_back({r.id, *version, *channel});
  }
  auto device_channel = domain::parse_channel(dev.channel).value_or(domain::Channel::Stable);
  auto chosen = domain::choose_update(*current, device_channel, candidates);

  Response res;
  if (!chosen) {
    res.body = R"({"update":false})";
    return res;
  }
  const store::ReleaseRecord* release = nullptr;
  for (const auto& r : releases) {
    if (r.id == chosen->id) release = &r;
  }
  res.body = boost::json::serialize(boost::json::object{
      {"update", true},
      {"version", release->version},
      {"url", download_url(ctx.settings, ctx.hasher, release->filename, dev.device_id, now / 1000)},
      {"sha256", release->sha256},
      {"size", release->size},
      {"channel", release->channel},
  });
  return res;
}

}  // namespace apiota::api::device
