#pragma once
// The origin ("http://" or "https://" host[:port]) by which a client reached this server,
// for URLs handed back to it when no public URL is configured
// (service/firmware_url.h): the device reached us there, so it can download there.
//
// The Host header is chosen by the client, so it is used only when it is a
// plain host[:port]: a DNS name or IPv4 address (letters, digits, '-', '.',
// '_', at most 253 characters) or a bracketed IPv6 address, and an optional
// port 1..65535 of at most 5 digits. Userinfo, a path, a query or fragment,
// percent-encoding, spaces, control characters and an empty port are not.
// Without a usable Host (HTTP/1.0, or an invalid one) the origin is the
// address the connection reached (Request::local_address). The scheme is
// "https" on a connection the server reached over TLS, else "http"; behind a
// TLS proxy the operator configures the public URL.
//
// A URL built from the Host goes back only to the client that sent it: answers
// are rendered per request, never shared. Both functions are pure and
// thread-safe.

#include <string>
#include <string_view>

#include "api/request.h"
#include "service/settings.h"

namespace apiota::api {

// True when `host` is a plain host[:port] as described above.
bool is_plain_host_port(std::string_view host);

// The scheme ("https://" when req.secure) + the request's Host header when
// is_plain_host_port(), else + req.local_address.
std::string request_origin(const Request& req);

// What download URLs start with: the configured public URL, else the origin
// by which `req` reached the server. The signature does not cover it: a
// client that names another host only sends itself elsewhere.
std::string download_base(const service::Settings& settings, const Request& req);

}  // namespace apiota::api
