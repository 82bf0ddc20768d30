#pragma once
// GET /api/admin/events (docs/api.md, "Console"): the console's live
// view of its project, as Server-Sent Events. open() authenticates like
// every admin route (api/auth.h) and subscribes to the project's changes
// (service/change_feed.h): RATE_LIMITED when the open streams of the project,
// or of the server, are at their bound. The http layer then calls poll()
// about once a second and writes what it returns; at most one event of each
// name per call:
//   event: ota      data: {"release_ids":[..]}  OTA reports arrived for those releases
//   event: release  data: {"release_ids":[..]}  those releases changed
//   event: device   data: {}                     devices registered or changed
//   event: audit    data: {}                     new audit entries
// Not thread-safe: one stream belongs to one connection.

#include <string>

#include "api/context.h"
#include "api/request.h"
#include "service/change_feed.h"

namespace apiota::api::admin {

class EventStream {
 public:
  static EventStream open(Context& ctx, const Request& req);

  // The events for what changed since the last call; "" when nothing did.
  std::string poll();

 private:
  explicit EventStream(service::ChangeFeed::Subscription subscription) : subscription_(std::move(subscription)) {}
  service::ChangeFeed::Subscription subscription_;
};

// The text of the events for `changes`, in the order ota, release, device,
// audit ("" when nothing changed).
std::string render_events(const service::Changes& changes);

}  // namespace apiota::api::admin
