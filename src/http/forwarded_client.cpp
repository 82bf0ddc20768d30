#include "http/forwarded_client.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "api/header_text.h"

namespace apiota::http {

namespace {

namespace ip = boost::asio::ip;
using api::iequals;
using api::is_ows;
using api::trim_ows;

constexpr std::size_t kMaxHops = 64;
// A `Forwarded` value longer than this is no address or scheme; it is not
// copied.
constexpr std::size_t kMaxForwardedValueLength = 256;

struct Hop {
  std::optional<ip::address> address;  // nullopt: not an address
  std::optional<bool> secure;          // `Forwarded` proto=, when given once and http/https
};

std::size_t skip_ows(std::string_view s, std::size_t at) {
  while (at < s.size() && is_ows(s[at])) ++at;
  return at;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 9110 tchar.
bool is_tchar(char c) {
  return is_digit(c) || is_alpha(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// What an unquoted `Forwarded` value may hold: a token, leniently widened by
// the characters of an address with a port.
bool is_unquoted_value_char(char c) { return is_tchar(c) || c == ':' || c == '[' || c == ']'; }

// RFC 9110 qdtext, and what may follow a backslash in a quoted-pair.
bool is_qdtext(unsigned char c) { return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c != 0x5C && c != 0x7F); }
bool is_quoted_pair_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7F); }

// Length of the quoted-string starting at s[at] == '"', or 0 when it does not
// end or holds a byte a quoted-string may not.
std::size_t quoted_string_length(std::string_view s, std::size_t at) {
  for (std::size_t i = at + 1; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i + 1 - at;
    if (c == '\\') {
      if (++i == s.size() || !is_quoted_pair_char(static_cast<unsigned char>(s[i]))) return 0;
    } else if (!is_qdtext(c)) {
      return 0;
    }
  }
  return 0;
}

// The text of a well-formed `Forwarded` value: a quoted-string without its
// quotes and backslashes, or the token as it is.
std::string unquote(std::string_view value) {
  if (value.empty() || value.front() != '"') return std::string(value);
  std::string text;
  for (std::size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\') ++i;
    text += value[i];
  }
  return text;
}

bool is_port_digits(std::string_view s) {
  return !s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), is_digit);
}

// RFC 7239 obfnode / obfport: "_" 1*( ALPHA / DIGIT / "." / "_" / "-" ).
bool is_obfuscated(std::string_view s) {
  return s.size() >= 2 && s.front() == '_' && std::all_of(s.begin() + 1, s.end(), [](char c) {
           return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-';
         });
}

std::optional<ip::address> address_of_family(std::string_view text, bool v6) {
  const std::optional<ip::address> address = parse_ip_address(text);
  if (!address || address->is_v6() != v6) return std::nullopt;
  return address;
}

// An RFC 7239 node: IPv4 or "[" IPv6 "]", each with an optional ":" port or
// obfuscated port. nullopt for "unknown", obfuscated nodes and the rest.
std::optional<ip::address> node_address(std::string_view node) {
  const auto port_ok = [](std::string_view port) { return is_port_digits(port) || is_obfuscated(port); };
  if (!node.empty() && node.front() == '[') {
    const std::size_t close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view after = node.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || !port_ok(after.substr(1)))) return std::nullopt;
    return address_of_family(node.substr(1, close - 1), true);
  }
  const std::size_t colon = node.find(':');
  if (colon != std::string_view::npos && !port_ok(node.substr(colon + 1))) return std::nullopt;
  return address_of_family(node.substr(0, colon), false);
}

// An X-Forwarded-For value: IPv4, IPv4:port, IPv6, [IPv6] or [IPv6]:port.
std::optional<ip::address> x_forwarded_for_address(std::string_view value) {
  if (!value.empty() && value.front() == '[') {
    const std::size_t close = value.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view after = value.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || !is_port_digits(after.substr(1)))) return std::nullopt;
    return address_of_family(value.substr(1, close - 1), true);
  }
  const std::size_t colons = static_cast<std::size_t>(std::count(value.begin(), value.end(), ':'));
  if (colons >= 2) return address_of_family(value, true);
  const std::size_t colon = value.find(':');
  if (colon != std::string_view::npos && !is_port_digits(value.substr(colon + 1))) return std::nullopt;
  return address_of_family(value.substr(0, colon), false);
}

// "https" → true, "http" → false, in any case; nullopt otherwise.
std::optional<bool> scheme_secure(std::string_view scheme) {
  if (iequals(scheme, "https")) return true;
  if (iequals(scheme, "http")) return false;
  return std::nullopt;
}

// The for= and proto= values of one `Forwarded` element, as written.
struct ForwardedElement {
  bool empty = true;  // only whitespace between commas: no hop
  std::string_view for_value;
  std::string_view proto_value;
  std::size_t for_count = 0;
  std::size_t proto_count = 0;
};

Hop hop_of(const ForwardedElement& element) {
  Hop hop;
  if (element.for_count == 1 && element.for_value.size() <= kMaxForwardedValueLength) {
    hop.address = node_address(unquote(element.for_value));
  }
  if (element.proto_count == 1 && element.proto_value.size() <= kMaxForwardedValueLength) {
    hop.secure = scheme_secure(unquote(element.proto_value));
  }
  return hop;
}

// Reads the `Forwarded` element starting at `at`, leaving `at` on the comma
// or the end that follows it; nullopt when it is not well-formed.
std::optional<ForwardedElement> read_forwarded_element(std::string_view header, std::size_t& at) {
  ForwardedElement element;
  at = skip_ows(header, at);
  while (at < header.size() && header[at] != ',') {
    element.empty = false;
    if (header[at] == ';') {
      at = skip_ows(header, at + 1);
      continue;
    }
    const std::size_t name_start = at;
    while (at < header.size() && is_tchar(header[at])) ++at;
    const std::string_view name = header.substr(name_start, at - name_start);
    if (name.empty() || at == header.size() || header[at] != '=') return std::nullopt;
    ++at;
    std::size_t value_length = 0;
    if (at < header.size() && header[at] == '"') {
      value_length = quoted_string_length(header, at);
    } else {
      while (at + value_length < header.size() && is_unquoted_value_char(header[at + value_length])) ++value_length;
    }
    if (value_length == 0) return std::nullopt;
    const std::string_view value = header.substr(at, value_length);
    at = skip_ows(header, at + value_length);
    if (at < header.size() && header[at] != ',' && header[at] != ';') return std::nullopt;
    if (iequals(name, "for")) {
      element.for_value = value;
      ++element.for_count;
    } else if (iequals(name, "proto")) {
      element.proto_value = value;
      ++element.proto_count;
    }
  }
  return element;
}

// The hops of a well-formed `Forwarded` header (see forwarded_client.h), at
// most the kMaxHops rightmost, left to right; nullopt when it is not
// well-formed.
std::optional<std::vector<Hop>> forwarded_hops(std::string_view header) {
  std::array<ForwardedElement, kMaxHops> nearest;  // ring: element i at i % kMaxHops
  std::size_t total = 0;
  for (std::size_t at = 0;; ++at) {
    const std::optional<ForwardedElement> element = read_forwarded_element(header, at);
    if (!element) return std::nullopt;
    if (!element->empty) nearest[total++ % kMaxHops] = *element;
    if (at == header.size()) break;
  }
  if (total == 0) return std::nullopt;

  std::vector<Hop> hops;
  const std::size_t count = std::min(total, kMaxHops);
  hops.reserve(count);
  for (std::size_t i = total - count; i < total; ++i) hops.push_back(hop_of(nearest[i % kMaxHops]));
  return hops;
}

// The kMaxHops rightmost hops of X-Forwarded-For, left to right, and where
// they are in the whole header.
struct XForwardedForHops {
  std::vector<Hop> hops;
  std::size_t total = 0;        // values in the whole header
  std::size_t first_index = 0;  // index in the whole header of hops.front()
};

XForwardedForHops x_forwarded_for_hops(std::string_view header) {
  XForwardedForHops result;
  if (trim_ows(header).empty()) return result;
  result.total = static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1;
  std::vector<std::string_view> nearest_first;
  std::size_t end = header.size();
  while (nearest_first.size() < kMaxHops) {
    const std::size_t comma = end == 0 ? std::string_view::npos : header.rfind(',', end - 1);
    const std::size_t start = comma == std::string_view::npos ? 0 : comma + 1;
    nearest_first.push_back(trim_ows(header.substr(start, end - start)));
    if (comma == std::string_view::npos) break;
    end = comma;
  }
  for (auto value = nearest_first.rbegin(); value != nearest_first.rend(); ++value) {
    result.hops.push_back({x_forwarded_for_address(*value), std::nullopt});
  }
  result.first_index = result.total - result.hops.size();
  return result;
}

// X-Forwarded-Proto's say on the scheme: its value at `client_index` (npos:
// the client is the peer) when it has `x_forwarded_for_total` values, else
// its rightmost value. (An index, not an optional: GCC 12 at -O3 misreports
// the optional as maybe uninitialized.)
std::optional<bool> x_forwarded_proto_secure(std::string_view header, std::size_t x_forwarded_for_total,
                                             std::size_t client_index) {
  if (trim_ows(header).empty()) return std::nullopt;
  const std::size_t total = static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1;
  const std::size_t last_comma = header.rfind(',');
  std::size_t start = last_comma == std::string_view::npos ? 0 : last_comma + 1;
  if (client_index != std::string_view::npos && total == x_forwarded_for_total) {
    start = 0;
    for (std::size_t i = 0; i < client_index; ++i) start = header.find(',', start) + 1;
  }
  const std::size_t comma = header.find(',', start);
  const std::size_t end = comma == std::string_view::npos ? header.size() : comma;
  return scheme_secure(trim_ows(header.substr(start, end - start)));
}

// The index in `hops` of the client, or nullopt when it is the peer (see the
// walk in forwarded_client.h).
std::optional<std::size_t> client_index(const std::vector<Hop>& hops, const TrustedProxies& trusted) {
  std::optional<std::size_t> client;
  for (std::size_t i = hops.size(); i-- > 0;) {
    if (!hops[i].address) break;
    client = i;
    if (!trusted.contains(*hops[i].address)) break;
  }
  return client;
}

}  // namespace

ForwardedClient forwarded_client(const ip::address& peer, const TrustedProxies& trusted, std::string_view forwarded,
                                 std::string_view x_forwarded_for, std::string_view x_forwarded_proto) {
  if (!trusted.contains(peer)) return {peer, std::nullopt};

  if (!trim_ows(forwarded).empty()) {
    if (const std::optional<std::vector<Hop>> hops = forwarded_hops(forwarded)) {
      const std::optional<std::size_t> client = client_index(*hops, trusted);
      if (!client) return {peer, std::nullopt};
      return {*(*hops)[*client].address, (*hops)[*client].secure};
    }
  }

  const XForwardedForHops chain = x_forwarded_for_hops(x_forwarded_for);
  const std::optional<std::size_t> client = client_index(chain.hops, trusted);
  const ip::address address = client ? *chain.hops[*client].address : peer;
  const std::size_t index_in_header = client ? chain.first_index + *client : std::string_view::npos;
  return {address, x_forwarded_proto_secure(x_forwarded_proto, chain.total, index_in_header)};
}

}  // namespace apiota::http
