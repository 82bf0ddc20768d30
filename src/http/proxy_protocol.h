#pragma once

// Reading the PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1
// and 2) a load balancer sends before the client's first byte, naming the
// client it relays.
//
// Version 1, one text line of at most 107 bytes:
//   "PROXY TCP4 <src> <dst> <srcport> <dstport>\r\n" (and TCP6), with single
//   spaces; IPv4 addresses as four dot-separated decimal numbers 0-255
//   without leading zeros; IPv6 addresses as inet_pton(3) reads them, without
//   a zone; ports 0-65535 without leading zeros (only "0" itself may start
//   with 0); both addresses of the stated family.
//   "PROXY UNKNOWN" followed by "\r\n" or by a space and anything but CR and
//   LF up to "\r\n": source = nullopt. A CR or LF anywhere but in the final
//   CRLF is Invalid.
// Version 2, binary: the 12-byte signature, the version/command byte (version
//   2; command LOCAL 0x0 or PROXY 0x1), the family/transport byte, a
//   big-endian 16-bit length of what follows, then that many bytes.
//   - LOCAL (a health check from the proxy itself): the family byte and
//     everything after it are ignored; source = nullopt.
//   - PROXY: the family must be UNSPEC, INET, INET6 or UNIX and the transport
//     UNSPEC, STREAM or DGRAM. INET and INET6 are accepted only with STREAM
//     (TCP), and the length must cover both addresses and ports (12 or 36
//     bytes); source is the first address. UNIX with STREAM or DGRAM needs its
//     216 address bytes; UNIX with UNSPEC and the UNSPEC family need none;
//     their source is nullopt.
//   - Bytes after the addresses (TLVs) are skipped unread.
//   - A length above kMaxProxyHeaderBytes - 16 is Invalid.
//
// Invalid is reported as early as the bytes allow: every prefix of a valid
// header is NeedMore, and a prefix that no valid header starts with is
// Invalid, except that an IPv6 address in version 1 is checked only by its
// characters and length until it ends. Once Invalid or Complete for some
// bytes, the result is the same for any bytes that extend them. The parser
// never reads past kMaxProxyHeaderBytes and never answers NeedMore once that
// many bytes are there. Pure and thread-safe.

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <optional>
#include <span>

namespace apiota::http {

struct ProxyHeader {
  enum class Status { NeedMore, Invalid, Complete } status = Status::NeedMore;
  std::size_t length = 0;                          // bytes the header takes, when Complete
  // Absent for v1 UNKNOWN, v2 LOCAL, or v2 families other than INET/INET6
  // (UNIX, UNSPEC).
  std::optional<boost::asio::ip::address> source;
};

// v1 is at most 107 bytes; v2 is 16 plus at most 520 accepted.
inline constexpr std::size_t kMaxProxyHeaderBytes = 536;

// Reads a PROXY header at the start of `bytes` (what has arrived so far).
// NeedMore: a valid prefix, read more (never once kMaxProxyHeaderBytes are
// there); Invalid: not a PROXY header or a malformed one (the connection is
// closed); Complete: `length` bytes are the header, the rest is the client's.
ProxyHeader parse_proxy_header(std::span<const unsigned char> bytes);

}  // namespace apiota::http
