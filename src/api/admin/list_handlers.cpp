// The admin lists an operator searches: devices (filters, sorts, cursor
// paging) and the audit log (filters, paging by id). Every parameter is
// checked before the store is asked (INVALID_PARAMETER naming it).

#include <boost/json.hpp>

#include <cstdint>
#include <utility>

#include "api/admin/admin_api.h"
#include "api/admin/admin_support.h"
#include "api/admin/device_cursor.h"
#include "api/admin/query_params.h"
#include "api/error_response.h"
#include "domain/channel.h"
#include "domain/identifiers.h"
#include "domain/semver.h"
#include "service/render.h"

namespace apiota::api::admin {
namespace {

// A filtered total stops counting here (total_exact false): counting a large
// share of a million devices would cost more than the page itself.
constexpr std::int64_t kTotalCap = 10000;
constexpr std::size_t kMaxAuditText = 256;

store::DeviceQuery device_query(const Request& req, const std::string& project_id) {
  store::DeviceQuery q{project_id, bounded_int_query(req, "limit", 100, 0, 1000)};
  if (auto prefix = text_query(req, "prefix", domain::kMaxDeviceIdLength)) {
    if (!domain::is_valid_device_id(*prefix)) {
      throw ApiError(ErrorCode::InvalidParameter, "prefix must be 1-64 characters of A-Z a-z 0-9 . _ : -");
    }
    q.id_prefix = std::move(*prefix);
  }
  if (auto tag = text_query(req, "tag", domain::kMaxTagLength)) {
    if (!domain::is_valid_tag(*tag)) {
      throw ApiError(ErrorCode::InvalidParameter, "tag must be 1-32 characters of a-z 0-9 . _ -");
    }
    q.tag = std::move(*tag);
  }
  if (auto version = text_query(req, "version", 64)) {
    auto parsed = domain::parse_reported_version(*version);
    if (!parsed) throw ApiError(ErrorCode::InvalidParameter, "version must be a version such as 1.2.0");
    q.version = parsed->to_string();
  }
  if (auto channel = text_query(req, "channel", 16)) {
    q.channel = domain::parse_channel(*channel);
    if (!q.channel) throw ApiError(ErrorCode::InvalidParameter, "channel must be stable, beta or dev");
  }
  q.blocked = bool_query(req, "blocked");
  q.seen_after = time_query(req, "seen_after");
  q.seen_before = time_query(req, "seen_before");
  if (auto sort = text_query(req, "sort", 32)) {
    auto parsed = parse_sort(*sort);
    if (!parsed) {
      throw ApiError(ErrorCode::InvalidParameter,
                     "sort must be device_id, last_seen_at, registered_at or firmware_version");
    }
    q.sort = *parsed;
  }
  if (auto order = text_query(req, "order", 8)) {
    if (*order != "asc" && *order != "desc") throw ApiError(ErrorCode::InvalidParameter, "order must be asc or desc");
    q.descending = *order == "desc";
  }
  auto cursor = text_query(req, "cursor", 256);
  if (cursor && req.query_param("offset")) {
    throw ApiError(ErrorCode::InvalidParameter, "give offset or cursor, not both");
  }
  if (cursor) q.after = decode_cursor(*cursor, q.sort, q.descending);
  q.offset = bounded_int_query(req, "offset", 0, 0, INT64_MAX);
  return q;
}

store::AuditQuery audit_query(const Request& req, const std::string& project_id) {
  store::AuditQuery q{project_id, int_query(req, "limit", 100, 10000)};
  q.action = text_query(req, "action", kMaxAuditText);
  q.actor = text_query(req, "actor", kMaxAuditText);
  q.subject = text_query(req, "subject", kMaxAuditText);
  q.since = time_query(req, "since");
  q.until = time_query(req, "until");
  if (req.query_param("before_id")) q.before_id = bounded_int_query(req, "before_id", 0, 1, INT64_MAX);
  return q;
}

// Reads `query`'s page through `read`, asking for one row more than the page
// to learn whether another page follows; answers the page and whether one
// follows it.
template <class Query, class Read>
auto read_page(Query query, const Read& read) {
  const std::int64_t page = query.limit;
  ++query.limit;
  auto rows = read(query);
  const bool more = static_cast<std::int64_t>(rows.size()) > page;
  if (more) rows.pop_back();
  const bool continues = more && !rows.empty();
  return std::make_pair(std::move(rows), continues);
}

}  // namespace

Response list_devices(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  const store::DeviceQuery query = device_query(req, admin.project.id);
  auto [found, continues] = read_page(query, [&](const store::DeviceQuery& q) {
    return ctx.administration.list_devices(q);
  });
  boost::json::value next_cursor = nullptr;
  if (continues) next_cursor = encode_cursor(query.sort, query.descending, store::position_of(found.back(), query.sort));
  boost::json::array devices;
  for (const auto& d : found) devices.push_back(service::render(d));
  store::DeviceCount total = query.filtered() ? ctx.administration.count_matching_devices(query, kTotalCap)
                                              : store::DeviceCount{ctx.administration.count_devices(admin.project.id)};
  return json_response(boost::json::object{{"devices", std::move(devices)},
                                           {"total", total.count},
                                           {"total_exact", total.exact},
                                           {"next_cursor", std::move(next_cursor)}});
}

Response list_audit(Context& ctx, const service::AdminPrincipal& admin, const Request& req) {
  auto [found, continues] = read_page(audit_query(req, admin.project.id), [&](const store::AuditQuery& q) {
    return ctx.administration.audit_log(q);
  });
  boost::json::value next_before_id = nullptr;
  if (continues) next_before_id = found.back().id;
  boost::json::array entries;
  for (const auto& a : found) entries.push_back(service::render(a));
  return json_response(
      boost::json::object{{"audit", std::move(entries)}, {"next_before_id", std::move(next_before_id)}});
}

}  // namespace apiota::api::admin
