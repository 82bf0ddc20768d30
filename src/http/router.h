#pragma once
// Router: maps (method, decoded path) to a handler.
//
// Patterns are literal segments and `{name}` placeholders that match exactly
// one non-empty segment; placeholder values are returned in order. A last
// segment `{name...}` (a trailing catch-all) matches the rest of the path,
// zero or more segments, and yields them joined by '/' ("" for none; a path
// ending in '/' yields a value ending in '/'). A path
// that matches a pattern under another method yields MethodNotAllowed with
// the allowed methods (for the Allow header); otherwise NotFound. HEAD is
// served by GET routes. Routes are added at start-up; match() is then
// read-only and safe from any thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/context.h"
#include "api/request.h"

namespace apiota::http {

using Handler = std::function<api::Response(api::Context&, const api::Request&)>;
// Runs on the I/O thread before the Handler, for requests it can answer from
// memory alone (service/fleet_cache.h); std::nullopt hands the request to the
// Handler on the worker pool. It must never block.
using FastHandler = std::function<std::optional<api::Response>(api::Context&, const api::Request&)>;

enum class RouteKind {
  Plain,           // the body is read whole (bounded) and the handler called once
  FirmwareUpload,  // the body streams into api::admin::FirmwareUpload
  EventStream,     // the answer is a stream of Server-Sent Events (http/event_stream.h)
};

struct RouteMatch {
  enum class Outcome { Found, NotFound, MethodNotAllowed } outcome = Outcome::NotFound;
  const Handler* handler = nullptr;
  const FastHandler* fast = nullptr;  // null when the route has none
  RouteKind kind = RouteKind::Plain;
  std::vector<std::string> params;
  std::string allow;  // for MethodNotAllowed, e.g. "GET, HEAD"
};

class Router {
 public:
  void add(std::string_view method, std::string_view pattern, Handler handler, RouteKind kind = RouteKind::Plain,
           FastHandler fast = nullptr);
  RouteMatch match(std::string_view method, const std::vector<std::string>& segments) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    RouteKind kind;
    FastHandler fast;
  };
  std::vector<Route> routes_;
};

// The router for apiota's device and admin APIs and the console.
Router make_api_router();

}  // namespace apiota::http
