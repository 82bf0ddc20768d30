#pragma once

// TrustedProxies: the TCP peers (proxies, load balancers) whose forwarding
// headers and PROXY protocol headers apiota believes.
//
// An entry is an address ("127.0.0.1", "::1") or a network in CIDR notation
// ("10.0.0.0/8", "fd00::/8", "::ffff:10.0.0.0/104"). parse() is strict, since
// a mistyped entry would trust the wrong peers silently; it throws
// std::invalid_argument, naming the entry and the reason, for:
//   - an empty entry, or one with surrounding whitespace (entries are taken
//     as they are; the caller splits and trims lists);
//   - an address that parse_ip_address() refuses (see below), including an
//     IPv6 zone ("fe80::1%eth0");
//   - a prefix length that is not a plain decimal number (no sign, no leading
//     zero) or exceeds the family's width (32 for IPv4, 128 for IPv6);
//   - bits set after the prefix ("10.0.0.1/8"): it is ambiguous whether the
//     network (10.0.0.0/8) or the host (10.0.0.1/32) was meant, so it is
//     refused, and the message names the network.
//
// All addresses live in one 128-bit space: an IPv4 address or network is
// compared as its IPv4-mapped IPv6 form (::ffff:a.b.c.d, prefix + 96). So an
// IPv4-mapped address, which is what a dual-stack socket reports for an IPv4
// client, matches IPv4 entries; "::ffff:10.0.0.0/104" and "10.0.0.0/8" are
// the same entry; and an IPv6 network wide enough to cover ::ffff:0:0/96 (such
// as "::/0") covers every IPv4 address too. contains() ignores an address's
// IPv6 scope id.
//
// Immutable after parse(); contains() is safe to call from many threads.

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apiota::http {

class TrustedProxies {
 public:
  // Trusts nobody.
  TrustedProxies() = default;

  // The peers that `entries` name; throws std::invalid_argument on the first
  // bad entry (see above).
  static TrustedProxies parse(const std::vector<std::string>& entries);

  // True when no peer is trusted.
  bool empty() const;

  // Whether `address` is in one of the entries.
  bool contains(const boost::asio::ip::address& address) const;

 private:
  // A network in the 128-bit space; the bits after `prefix_length` are zero.
  struct Network {
    std::array<std::uint8_t, 16> bytes;
    unsigned prefix_length;
  };

  std::vector<Network> networks_;
};

// The strict textual form of an address used by trusted proxy entries and
// forwarding headers: IPv4 as exactly four dot-separated decimal numbers
// 0-255 without leading zeros ("010.0.0.1" is refused, as it may mean octal);
// IPv6 as inet_pton(3) reads it (hexadecimal groups, one "::", an optional
// trailing dotted IPv4 part) without a zone. nullopt for anything else,
// including surrounding whitespace and brackets.
std::optional<boost::asio::ip::address> parse_ip_address(std::string_view text);

}  // namespace apiota::http
