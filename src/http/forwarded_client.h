#pragma once

// Who the client of a request really is when it arrives through trusted
// proxies: forwarded_client() reads the `Forwarded` (RFC 7239) or
// `X-Forwarded-For` / `X-Forwarded-Proto` headers, believing only what
// trusted proxies added.
//
// Rules:
//   - A `peer` that is not trusted: the headers are ignored, the client is
//     {peer, nullopt}.
//   - The hop list comes from `Forwarded` when it is present (not just
//     whitespace) and well-formed, else from `X-Forwarded-For`. Well-formed
//     `Forwarded`: comma-separated elements (empty ones between commas are
//     skipped, at least one must be there), each semicolon-separated
//     `name=value` pairs; a name is an RFC 9110 token, matched
//     case-insensitively; a value is a quoted-string or a run of token
//     characters, ':', '[' and ']' (so unquoted `for=192.0.2.43:80` is read
//     too); whitespace is allowed around commas and semicolons, not around
//     '='. Each element is one hop: its `for=` node is an address when it is
//     IPv4 or bracketed IPv6, either with an optional port (1-5 digits or an
//     obfuscated "_..." port): `for=192.0.2.43`, `for="[2001:db8::1]:4711"`.
//     `unknown`, an obfuscated node ("_hidden"), unbracketed IPv6, an element
//     without `for=` or with it twice, and a value over 256 bytes are hops
//     that are not addresses.
//     In `X-Forwarded-For`, each comma-separated value, without surrounding
//     whitespace, is a hop: IPv4, IPv4:port, IPv6, [IPv6] or [IPv6]:port;
//     anything else (including an empty value) is a hop that is not an
//     address. Addresses are read by parse_ip_address() (no leading zeros in
//     IPv4, no IPv6 zone).
//   - Only the 64 hops nearest to us (the rightmost) are considered.
//   - The walk goes right to left, from the proxy nearest to us, skipping
//     hops that are trusted; the first untrusted hop is the client. A hop that
//     is not an address stops the walk, and the client is then the last
//     address walked (the nearest trusted hop, or the peer): everything left
//     of it may come from the client itself. When every considered hop is
//     trusted, the client is the leftmost one; with no hops, the peer.
//   - The scheme (`secure`): with `Forwarded`, the `proto=` of the element
//     that named the client; with `X-Forwarded-For`, the value of
//     `X-Forwarded-Proto` at the client's index when both headers have as
//     many comma-separated values, else the rightmost value of
//     `X-Forwarded-Proto`. Only "https" (true) and "http" (false), in any
//     case and with surrounding whitespace, count; anything else, a missing
//     or twice-given proto, or a client that is the peer under `Forwarded`,
//     gives nullopt.
//
// The headers are attacker-controlled except for what the trusted proxies
// appended, so the caller must pass only headers its proxies set or
// overwrite: a header the proxies pass through untouched (for example
// `Forwarded` behind a proxy that only appends `X-Forwarded-For`) must be
// given as empty, or a client could name any address.
//
// Never throws on any header content; the work is linear in the header
// lengths and the memory bounded by the 64 considered hops. Addresses are
// returned as read (an IPv4-mapped peer or hop stays IPv6). Pure and
// thread-safe.

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string_view>

#include "http/trusted_proxies.h"

namespace apiota::http {

struct ForwardedClient {
  boost::asio::ip::address address;  // the client's address
  std::optional<bool> secure;        // the scheme the client used, when a trusted proxy said (https: true, http: false)
};

// `peer` is the TCP peer. Each header is the values of all its occurrences
// joined by ", ", or empty when absent.
ForwardedClient forwarded_client(const boost::asio::ip::address& peer, const TrustedProxies& trusted,
                                 std::string_view forwarded, std::string_view x_forwarded_for,
                                 std::string_view x_forwarded_proto);

}  // namespace apiota::http
