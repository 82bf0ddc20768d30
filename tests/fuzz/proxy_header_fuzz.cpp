// libFuzzer target for the proxy parsers: parse_proxy_header() and
// forwarded_client() with TrustedProxies::parse().
//
// An input whose first byte is even is a PROXY header stream: every prefix is
// parsed, and the answers must be consistent (NeedMore only before
// kMaxProxyHeaderBytes; once Invalid or Complete, the same for every longer
// prefix; Complete exactly at its length, with NeedMore before).
// An odd first byte is followed by five '\n'-separated fields: the peer, the
// comma-separated trusted entries, Forwarded, X-Forwarded-For and
// X-Forwarded-Proto. forwarded_client() must not throw, must ignore the
// headers of an untrusted peer, and its answer for a client found in
// X-Forwarded-For must not change when a client prepends values. Build with
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     tests/fuzz/proxy_header_fuzz.cpp src/http/proxy_protocol.cpp \
//     src/http/forwarded_client.cpp src/http/trusted_proxies.cpp src/domain/printable.cpp

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/forwarded_client.h"
#include "http/proxy_protocol.h"
#include "http/trusted_proxies.h"

using namespace apiota::http;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool same(const ProxyHeader& a, const ProxyHeader& b) {
  return a.status == b.status && a.length == b.length && a.source == b.source;
}

void fuzz_proxy_header(std::span<const unsigned char> bytes) {
  using Status = ProxyHeader::Status;
  // The parser reads no further than kMaxProxyHeaderBytes, so longer
  // prefixes all answer alike; a few beyond it show that.
  const std::size_t last = std::min(bytes.size(), kMaxProxyHeaderBytes + 8);
  std::optional<ProxyHeader> settled;  // the first Invalid or Complete answer
  for (std::size_t n = 0; n <= last; ++n) {
    const ProxyHeader header = parse_proxy_header(bytes.first(n));
    if (settled) {
      check(same(header, *settled));
      continue;
    }
    switch (header.status) {
      case Status::NeedMore:
        check(n < kMaxProxyHeaderBytes && header.length == 0 && !header.source);
        break;
      case Status::Invalid:
        check(header.length == 0 && !header.source);
        settled = header;
        break;
      case Status::Complete:
        check(header.length == n && n <= kMaxProxyHeaderBytes);
        settled = header;
        break;
    }
  }
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (;;) {
    const std::size_t at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

bool same(const ForwardedClient& a, const ForwardedClient& b) { return a.address == b.address && a.secure == b.secure; }

void fuzz_forwarded_client(std::string_view input) {
  std::vector<std::string> fields = split(input, '\n');
  fields.resize(std::max<std::size_t>(fields.size(), 5));
  const std::optional<boost::asio::ip::address> peer = parse_ip_address(fields[0]);
  if (!peer) return;
  TrustedProxies trusted;
  try {
    trusted = TrustedProxies::parse(split(fields[1], ','));
  } catch (const std::invalid_argument&) {
    return;
  }
  const std::string& forwarded = fields[2];
  const std::string& x_forwarded_for = fields[3];
  const std::string& x_forwarded_proto = fields[4];

  const ForwardedClient client = forwarded_client(peer.value(), trusted, forwarded, x_forwarded_for, x_forwarded_proto);
  check(same(client, forwarded_client(peer.value(), trusted, forwarded, x_forwarded_for, x_forwarded_proto)));
  if (!trusted.contains(peer.value())) {
    check(client.address == peer.value() && !client.secure);
    return;
  }
  check(same(forwarded_client(peer.value(), TrustedProxies{}, forwarded, x_forwarded_for, x_forwarded_proto),
             ForwardedClient{peer.value(), std::nullopt}));

  // With X-Forwarded-For alone, an untrusted client stays the client whatever
  // a client writes to the left of it.
  const ForwardedClient by_x_forwarded_for = forwarded_client(peer.value(), trusted, "", x_forwarded_for, "");
  if (!trusted.contains(by_x_forwarded_for.address)) {
    for (const std::string_view prepended : {"6.6.6.6, ", ", ", "\"[,", "10.0.0.1,"}) {
      const ForwardedClient spoofed =
          forwarded_client(peer.value(), trusted, "", std::string(prepended) + x_forwarded_for, "");
      check(spoofed.address == by_x_forwarded_for.address);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const unsigned char> rest(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    fuzz_proxy_header(rest);
  } else {
    fuzz_forwarded_client(std::string_view(reinterpret_cast<const char*>(rest.data()), rest.size()));
  }
  return 0;
}
