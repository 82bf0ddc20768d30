#pragma once
// The authentication guard of the device routes that act for one device
// (check-update, ota-log, config), applied where the routes are registered
// (http/api_routes.cpp), so no handler authenticates by hand.
//
// Such a route is a reader, which parses and validates the request, and an
// answer for the authenticated device. The guard runs, in this order: the
// per-address rate limit, the reader (so a malformed request is refused
// before any credential is checked), then service::DeviceService::
// authenticate() with the credentials the request presents (its JSON body,
// query or headers), then the answer.
//
// device_route_from_memory() is the same route answered on the I/O thread
// for a device the service recognizes from memory (DeviceService::
// recognize()): nullopt, before anything is counted, hands the request to
// device_route() on a worker.

#include <boost/json/object.hpp>

#include <optional>

#include "api/auth.h"
#include "api/context.h"
#include "api/request.h"

namespace apiota::api::device {

// Every reader's result carries the JSON body it read (empty when the route
// reads none), where credentials may also be.
template <class Params>
concept DeviceParams = requires(const Params& params) {
  { params.body } -> std::convertible_to<const boost::json::object&>;
};

template <DeviceParams Params>
using Reader = Params (*)(const Request&);
template <DeviceParams Params>
using Answer = Response (*)(Context&, const Request&, const service::AuthenticatedDevice&, const Params&);

template <DeviceParams Params>
auto device_route(Reader<Params> read, Answer<Params> answer) {
  return [read, answer](Context& ctx, const Request& req) -> Response {
    ctx.devices.limit_address(req.remote_address);
    const Params params = read(req);
    const service::AuthenticatedDevice device =
        ctx.devices.authenticate(device_credentials(req, &params.body), req.remote_address);
    return answer(ctx, req, device, params);
  };
}

template <DeviceParams Params>
auto device_route_from_memory(Reader<Params> read, Answer<Params> answer) {
  return [read, answer](Context& ctx, const Request& req) -> std::optional<Response> {
    const auto device_id = presented_device_id(req);
    if (!device_id) return std::nullopt;
    auto device = ctx.devices.recognize(*device_id, presented_secret(req));
    if (!device) return std::nullopt;
    ctx.devices.limit_address(req.remote_address);
    const Params params = read(req);
    ctx.devices.admit(*device);
    return answer(ctx, req, *device, params);
  };
}

}  // namespace apiota::api::device
