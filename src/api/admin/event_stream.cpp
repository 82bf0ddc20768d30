#include "api/admin/event_stream.h"

#include <boost/json.hpp>

#include "api/auth.h"
#include "api/error_response.h"
#include "service/json_text.h"

namespace apiota::api::admin {
namespace {

void append_event(std::string& out, std::string_view name, const boost::json::object& data) {
  out.append("event: ").append(name).append("\ndata: ").append(service::to_json_text(data)).append("\n\n");
}

boost::json::object release_ids(const std::vector<std::int64_t>& ids) {
  boost::json::array list;
  for (std::int64_t id : ids) list.emplace_back(id);
  return {{"release_ids", std::move(list)}};
}

}  // namespace

EventStream EventStream::open(Context& ctx, const Request& req) {
  const service::AdminPrincipal admin = authenticate_admin(ctx, req);
  auto subscription = ctx.changes.subscribe(admin.project.id);
  if (!subscription) {
    throw ApiError(ErrorCode::RateLimited, "too many open event streams; retry in 60 seconds");
  }
  return EventStream(std::move(*subscription));
}

std::string EventStream::poll() { return render_events(subscription_.poll()); }

std::string render_events(const service::Changes& changes) {
  using service::ChangeKind;
  std::string out;
  if (changes.has(ChangeKind::Ota)) append_event(out, "ota", release_ids(changes.ota_release_ids));
  if (changes.has(ChangeKind::Release)) append_event(out, "release", release_ids(changes.changed_release_ids));
  if (changes.has(ChangeKind::Device)) append_event(out, "device", {});
  if (changes.has(ChangeKind::Audit)) append_event(out, "audit", {});
  return out;
}

}  // namespace apiota::api::admin
