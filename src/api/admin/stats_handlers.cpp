// Fleet statistics and rollout progress: the console's overview and a
// release's progress counts (service/fleet_statistics.h has the definitions).

#include <boost/json.hpp>

#include "api/admin/admin_api.h"
#include "api/admin/admin_support.h"
#include "api/error_response.h"
#include "service/clock.h"
#include "service/render.h"

namespace apiota::api::admin {
namespace {

service::OutcomeBucket bucket_query(const Request& req) {
  const auto text = req.query_param("bucket");
  if (!text || *text == "hour") return service::OutcomeBucket::Hour;
  if (*text == "day") return service::OutcomeBucket::Day;
  throw ApiError(ErrorCode::InvalidParameter, "bucket must be hour or day");
}

std::int64_t span_query(const Request& req) {
  const std::int64_t span = int_query(req, "span", 24, service::FleetStatistics::kMaxSpan);
  if (span < 1) throw ApiError(ErrorCode::InvalidParameter, "span must be an integer between 1 and 720");
  return span;
}

boost::json::object render(const service::ReleaseProgress& progress) {
  const store::AttemptCounts& a = progress.attempts;
  return {{"release_id", progress.release_id}, {"eligible", progress.eligible}, {"offered", a.devices},
          {"in_progress", a.open},           {"installed", a.succeeded},     {"failed", a.failed},
          {"stuck", a.stuck},                {"rolled_back", a.rolled_back},
          {"generated_at", service::iso8601(progress.generated_at)}};
}

boost::json::array render_versions(const std::vector<store::VersionCount>& counts) {
  boost::json::array out;
  for (const store::VersionCount& count : counts) {
    const std::string channel(domain::to_string(count.channel));
    if (out.empty() || out.back().at("channel") != channel.c_str()) {
      out.push_back(boost::json::object{{"channel", channel}, {"versions", boost::json::array{}}});
    }
    boost::json::value version = count.version ? boost::json::value(*count.version) : boost::json::value(nullptr);
    out.back().at("versions").as_array().push_back(
        boost::json::object{{"version", std::move(version)}, {"devices", count.devices}});
  }
  return out;
}

boost::json::object render_outcomes(const service::OutcomeSeries& series, service::OutcomeBucket bucket) {
  boost::json::array buckets;
  for (std::size_t i = 0; i < series.counts.size(); ++i) {
    const auto& c = series.counts[i];
    const std::int64_t start = series.span.first_start_ms + static_cast<std::int64_t>(i) * series.span.width_ms;
    buckets.push_back(boost::json::object{{"start", service::iso8601(start)}, {"installed", c[0]}, {"failed", c[1]},
                                          {"stuck", c[2]}, {"rolled_back", c[3]}});
  }
  return {{"bucket", bucket == service::OutcomeBucket::Day ? "day" : "hour"}, {"buckets", std::move(buckets)}};
}

}  // namespace

Response fleet_stats(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  const service::OutcomeBucket bucket = bucket_query(req);
  const std::int64_t span = span_query(req);
  const auto overview = ctx.statistics.overview(admin.project.id);
  const auto outcomes = ctx.statistics.outcomes(admin.project.id, bucket, span);
  const store::FleetCounts& d = overview->devices;
  boost::json::array rollouts;
  for (const service::RolloutSummary& rollout : overview->rollouts) {
    rollouts.push_back(
        boost::json::object{{"release", service::render(rollout.release)}, {"progress", render(*rollout.progress)}});
  }
  return json_response(boost::json::object{
      {"generated_at", service::iso8601(overview->generated_at)},
      {"devices", boost::json::object{{"total", d.total},
                                      {"seen_last_hour", d.seen_since_hour},
                                      {"seen_last_day", d.seen_since_day},
                                      {"never_seen", d.never_seen},
                                      {"blocked", d.blocked}}},
      {"versions", render_versions(overview->versions)},
      {"outcomes", render_outcomes(*outcomes, bucket)},
      {"rollouts", std::move(rollouts)}});
}

Response release_progress(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  auto release = ctx.administration.find_release(admin.project.id, path_id(req));
  if (!release) throw ApiError(ErrorCode::NotFound, "no such release");
  return json_response(render(*ctx.statistics.progress(*release)));
}

}  // namespace apiota::api::admin
