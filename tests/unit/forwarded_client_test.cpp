#include "http/forwarded_client.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/trusted_proxies.h"

using namespace apiota::http;

namespace {

namespace ip = boost::asio::ip;

ip::address address(const std::string& text) { return ip::make_address(text); }

// The proxies of these tests: a private IPv4 network, a ULA IPv6 network and
// the loopback.
const TrustedProxies& trusted() {
  static const TrustedProxies proxies = TrustedProxies::parse({"10.0.0.0/8", "fd00::/8", "127.0.0.1"});
  return proxies;
}

const ip::address kProxy = address("10.0.0.1");

struct Headers {
  std::string forwarded;
  std::string x_forwarded_for;
  std::string x_forwarded_proto;
};

ForwardedClient client_of(const ip::address& peer, const Headers& headers) {
  return forwarded_client(peer, trusted(), headers.forwarded, headers.x_forwarded_for, headers.x_forwarded_proto);
}

void expect_client(const ForwardedClient& actual, const std::string& expected_address,
                   std::optional<bool> expected_secure) {
  EXPECT_EQ(actual.address, address(expected_address));
  EXPECT_EQ(actual.secure, expected_secure);
}

// The comma-separated list of the IPv4 addresses 10.1.x.y for 0..count-1.
std::string trusted_chain(std::size_t count) {
  std::string chain;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) chain += ", ";
    chain += "10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256);
  }
  return chain;
}

TEST(ForwardedClient, UntrustedPeerIsTheClientWhateverItClaims) {
  const Headers spoofed{"for=198.51.100.1;proto=https", "198.51.100.1", "https"};
  for (const char* peer : {"203.0.113.7", "11.0.0.1", "127.0.0.2", "2001:db8::1", "::ffff:203.0.113.7"}) {
    expect_client(client_of(address(peer), spoofed), peer, std::nullopt);
    expect_client(client_of(address(peer), {"", "198.51.100.1", "https"}), peer, std::nullopt);
  }
  // Nobody is trusted by default.
  expect_client(forwarded_client(kProxy, TrustedProxies{}, spoofed.forwarded, spoofed.x_forwarded_for,
                                 spoofed.x_forwarded_proto),
                "10.0.0.1", std::nullopt);
}

TEST(ForwardedClient, TrustedPeerWithoutHeadersIsTheClient) {
  expect_client(client_of(kProxy, {}), "10.0.0.1", std::nullopt);
  expect_client(client_of(kProxy, {" \t", "  ", ""}), "10.0.0.1", std::nullopt);
}

TEST(ForwardedClient, XForwardedForNamesTheClientBehindOneProxy) {
  expect_client(client_of(kProxy, {"", "198.51.100.1", ""}), "198.51.100.1", std::nullopt);
  expect_client(client_of(address("127.0.0.1"), {"", "2001:db8::7", ""}), "2001:db8::7", std::nullopt);
}

TEST(ForwardedClient, ValuesLeftOfTheFirstUntrustedHopAreIgnored) {
  // The client wrote everything left of what the proxy appended, trusted
  // addresses included.
  for (const char* x_forwarded_for :
       {"6.6.6.6, 198.51.100.1", "10.9.9.9, 198.51.100.1", "unknown, 198.51.100.1", "\"garbage, 198.51.100.1",
        "10.9.9.9, 6.6.6.6, 198.51.100.1, 10.2.2.2"}) {
    expect_client(client_of(kProxy, {"", x_forwarded_for, ""}), "198.51.100.1", std::nullopt);
  }
}

TEST(ForwardedClient, WalksThroughSeveralTrustedProxies) {
  expect_client(client_of(kProxy, {"", "198.51.100.1, 10.1.1.1, 10.2.2.2", ""}), "198.51.100.1", std::nullopt);
  expect_client(client_of(kProxy, {"", "198.51.100.1,10.1.1.1,127.0.0.1,fd00::5", ""}), "198.51.100.1",
                std::nullopt);
  expect_client(client_of(address("fd00::1"), {"", "2001:db8::7, fd00::2, [fd00::3]:443", ""}), "2001:db8::7",
                std::nullopt);
}

TEST(ForwardedClient, AllHopsTrustedGivesTheLeftmost) {
  expect_client(client_of(kProxy, {"", "10.3.3.3, 10.2.2.2", ""}), "10.3.3.3", std::nullopt);
  expect_client(client_of(kProxy, {"for=10.3.3.3;proto=http, for=10.2.2.2;proto=https", "", ""}), "10.3.3.3",
                false);
}

TEST(ForwardedClient, HopThatIsNoAddressStopsTheWalkAtTheLastAddressWalked) {
  // Nearest hop unusable: the peer.
  for (const char* x_forwarded_for : {"198.51.100.1, unknown", "198.51.100.1, _hidden", "198.51.100.1, garbage",
                                      "198.51.100.1, ", "198.51.100.1,", "198.51.100.1, 010.0.0.1"}) {
    expect_client(client_of(kProxy, {"", x_forwarded_for, ""}), "10.0.0.1", std::nullopt);
  }
  // Unusable hop behind trusted ones: the nearest trusted one.
  const std::vector<std::pair<std::string, std::string>> behind_trusted = {
      {"198.51.100.1, unknown, 10.2.2.2", "10.2.2.2"},
      {"198.51.100.1, , 10.2.2.2", "10.2.2.2"},
      {"198.51.100.1, 1.2.3.4.5, 10.3.3.3, 10.2.2.2", "10.3.3.3"},
  };
  for (const auto& [x_forwarded_for, expected] : behind_trusted) {
    expect_client(client_of(kProxy, {"", x_forwarded_for, ""}), expected, std::nullopt);
  }
  expect_client(client_of(kProxy, {"for=198.51.100.1, for=_hidden", "", ""}), "10.0.0.1", std::nullopt);
  expect_client(client_of(kProxy, {"for=198.51.100.1, for=unknown, for=10.2.2.2", "", ""}), "10.2.2.2",
                std::nullopt);
  expect_client(client_of(kProxy, {"for=\"_x\", for=\"[fd00::9]\"", "", ""}), "fd00::9", std::nullopt);
}

TEST(ForwardedClient, XForwardedForValueForms) {
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"198.51.100.1", "198.51.100.1"},
      {"198.51.100.1:4711", "198.51.100.1"},
      {"  \t198.51.100.1 \t", "198.51.100.1"},
      {"2001:db8::1", "2001:db8::1"},
      {"[2001:db8::1]", "2001:db8::1"},
      {"[2001:db8::1]:443", "2001:db8::1"},
      {"2001:DB8::A", "2001:db8::a"},
      {"::ffff:198.51.100.1", "::ffff:198.51.100.1"},
  };
  for (const auto& [value, expected] : forms) {
    expect_client(client_of(kProxy, {"", "10.9.9.9, " + value, ""}), expected, std::nullopt);
  }
  for (const char* not_an_address :
       {"198.51.100.1:", "198.51.100.1:123456", "198.51.100.1:http", "198.51.100.1:-1", "[2001:db8::1",
        "[2001:db8::1]443", "[2001:db8::1]:", "[198.51.100.1]", "[198.51.100.1]:80", "fe80::1%eth0",
        "\"198.51.100.1\"", "198.51.100.1 198.51.100.2", "198.51.100", "198.51.100.1.", "unknown", "_hidden",
        "for=198.51.100.1", "example.com", "[]", "::1:2:3:4:5:6:7:8"}) {
    expect_client(client_of(kProxy, {"", std::string("10.9.9.9, ") + not_an_address, ""}), "10.0.0.1",
                  std::nullopt);
  }
}

TEST(ForwardedClient, MappedAndPlainIpv4HopsAreTrustedAlike) {
  const ip::address mapped_peer = address("::ffff:10.0.0.1");
  expect_client(client_of(mapped_peer, {"", "198.51.100.1, ::ffff:10.2.2.2", ""}), "198.51.100.1", std::nullopt);
  expect_client(client_of(mapped_peer, {"", "::ffff:198.51.100.1, 10.2.2.2", ""}), "::ffff:198.51.100.1",
                std::nullopt);
  expect_client(client_of(kProxy, {"for=198.51.100.1, for=\"[::ffff:10.2.2.2]\"", "", ""}), "198.51.100.1",
                std::nullopt);
}

TEST(ForwardedClient, ForwardedNamesTheClientAndItsScheme) {
  expect_client(client_of(kProxy, {"for=198.51.100.1;proto=https", "", ""}), "198.51.100.1", true);
  expect_client(client_of(kProxy, {"for=198.51.100.1;proto=http;by=10.0.0.1;host=ota.example", "", ""}),
                "198.51.100.1", false);
  expect_client(client_of(kProxy, {"for=198.51.100.1", "", ""}), "198.51.100.1", std::nullopt);
  // The proto of the element that named the client, not of a nearer one.
  expect_client(client_of(kProxy, {"for=198.51.100.1;proto=https, for=10.2.2.2;proto=http", "", ""}),
                "198.51.100.1", true);
  expect_client(client_of(kProxy, {"for=198.51.100.1, for=10.2.2.2;proto=https", "", ""}), "198.51.100.1",
                std::nullopt);
}

TEST(ForwardedClient, ForwardedNodeForms) {
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"for=192.0.2.43", "192.0.2.43"},
      {"for=\"192.0.2.43\"", "192.0.2.43"},
      {"for=\"192.0.2.43:80\"", "192.0.2.43"},
      {"for=192.0.2.43:80", "192.0.2.43"},
      {"for=\"192.0.2.43:_p-1.x\"", "192.0.2.43"},
      {"for=\"[2001:db8:cafe::17]\"", "2001:db8:cafe::17"},
      {"for=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17"},
      {"for=[2001:db8:cafe::17]:4711", "2001:db8:cafe::17"},
      {"for=\"[2001:db8:cafe::17]:_port\"", "2001:db8:cafe::17"},
      {"For=192.0.2.43", "192.0.2.43"},
      {"FOR=192.0.2.43", "192.0.2.43"},
      {"for=\"192.0.2.\\43\"", "192.0.2.43"},
      {"for=\"\\[2001:db8::1\\]\"", "2001:db8::1"},
  };
  for (const auto& [forwarded, expected] : forms) {
    expect_client(client_of(kProxy, {forwarded, "", ""}), expected, std::nullopt);
  }
  for (const char* not_an_address :
       {"for=unknown", "for=UNKNOWN", "for=_hidden", "for=\"_SEVKISEK\"", "for=\"2001:db8::1\"",
        "for=\"[192.0.2.43]\"", "for=\"192.0.2.43:\"", "for=\"192.0.2.43:123456\"", "for=\"192.0.2.43:_\"",
        "for=\"192.0.2.43:_a b\"", "for=\"[2001:db8::1]4711\"", "for=\"[2001:db8::1\"", "for=\"[fe80::1%25eth0]\"",
        "for=\"\"", "for=_", "for=example.com", "for=192.0.2.43;for=192.0.2.44", "by=192.0.2.43",
        "proto=https", ";"}) {
    expect_client(client_of(kProxy, {not_an_address, "203.0.113.5", ""}), "10.0.0.1", std::nullopt);
  }
}

TEST(ForwardedClient, ForwardedToleratesWhitespaceAndEmptyParts) {
  for (const char* forwarded :
       {"for=198.51.100.1 ; proto=https", "for=198.51.100.1;\tproto=https , for=10.2.2.2",
        ", for=198.51.100.1;proto=https,,", "for=198.51.100.1;;proto=https;", " for=198.51.100.1;PROTO=HTTPS ",
        "proto=https;for=198.51.100.1", "for=198.51.100.1;proto=\"https\"", "for=198.51.100.1;proto=https;x=\"a,b;c\"",
        "for=198.51.100.1;proto=https, for=10.2.2.2;by=\"[fd00::1]\""}) {
    expect_client(client_of(kProxy, {forwarded, "203.0.113.5", ""}), "198.51.100.1", true);
  }
}

TEST(ForwardedClient, ForwardedIsPreferredAndXForwardedProtoThenIgnored) {
  expect_client(client_of(kProxy, {"for=198.51.100.1", "203.0.113.5", "https"}), "198.51.100.1", std::nullopt);
  expect_client(client_of(kProxy, {"for=198.51.100.1;proto=http", "203.0.113.5", "https"}), "198.51.100.1", false);
  // A well-formed Forwarded without a usable hop does not fall back.
  expect_client(client_of(kProxy, {"for=unknown", "203.0.113.5", "https"}), "10.0.0.1", std::nullopt);
}

TEST(ForwardedClient, MalformedForwardedFallsBackToXForwardedFor) {
  for (const std::string forwarded :
       {"for", "for=", "for=;proto=https", "=198.51.100.1", "for =198.51.100.1", "for= 198.51.100.1",
        "for=198.51.100.1 x", "for=\"198.51.100.1", "for=\"198.51.100.1\"x", "for=\"198.51.100.1\\", ", ,", ",",
        "for=198.51.100.1/8", "fo r=198.51.100.1", "for==198.51.100.1",
        "for=\"\x7f\"", "for=\"a\x01\"", "for=a\x01", "for=\"a\\\x01\"", "f\xc3\xb6r=198.51.100.1", "for=é",
        "(for)=198.51.100.1", "for=198.51.100.1,,,\"", "for=198.51.100.1 proto=https"}) {
    expect_client(client_of(kProxy, {forwarded, "203.0.113.5", "https"}), "203.0.113.5", true);
  }
}

TEST(ForwardedClient, ForwardedValuesMustBeUsedOnce) {
  expect_client(client_of(kProxy, {"for=198.51.100.1;for=198.51.100.1", "", ""}), "10.0.0.1", std::nullopt);
  expect_client(client_of(kProxy, {"for=198.51.100.1;proto=https;proto=https", "", ""}), "198.51.100.1",
                std::nullopt);
}

TEST(ForwardedClient, OverlongForwardedValuesAreNotAddresses) {
  const std::string port = "_" + std::string(240, 'p');
  const std::string fits = "for=\"198.51.100.1:" + port + "\"";
  const std::string overlong = "for=\"198.51.100.1:" + port + std::string(20, 'p') + "\"";
  expect_client(client_of(kProxy, {fits, "", ""}), "198.51.100.1", std::nullopt);
  expect_client(client_of(kProxy, {overlong, "", ""}), "10.0.0.1", std::nullopt);
}

TEST(ForwardedClient, XForwardedProtoAtTheClientsIndexWhenCountsMatch) {
  const std::string chain = "6.6.6.6, 198.51.100.1, 10.2.2.2";
  expect_client(client_of(kProxy, {"", chain, "http, https, http"}), "198.51.100.1", true);
  expect_client(client_of(kProxy, {"", chain, "https,http,https"}), "198.51.100.1", false);
  expect_client(client_of(kProxy, {"", chain, "https, ftp, https"}), "198.51.100.1", std::nullopt);
  expect_client(client_of(kProxy, {"", chain, "https, , https"}), "198.51.100.1", std::nullopt);
}

TEST(ForwardedClient, XForwardedProtoRightmostOtherwise) {
  const std::string chain = "6.6.6.6, 198.51.100.1, 10.2.2.2";
  expect_client(client_of(kProxy, {"", chain, "https"}), "198.51.100.1", true);
  expect_client(client_of(kProxy, {"", chain, "http, https"}), "198.51.100.1", true);
  expect_client(client_of(kProxy, {"", chain, "https, http"}), "198.51.100.1", false);
  expect_client(client_of(kProxy, {"", chain, " HTTPS\t"}), "198.51.100.1", true);
  expect_client(client_of(kProxy, {"", chain, "HtTp"}), "198.51.100.1", false);
  // Counts differ: the value at the client's index does not count.
  expect_client(client_of(kProxy, {"", chain, "http, https, https, http"}), "198.51.100.1", false);
  expect_client(client_of(kProxy, {"", "198.51.100.1, 10.2.2.2", "https, http, http"}), "198.51.100.1", false);
  for (const char* unusable : {"", "wss", "https ,", "https;q=1", "\"https\"", "httpss", "ftp", "h ttps"}) {
    expect_client(client_of(kProxy, {"", chain, unusable}), "198.51.100.1", std::nullopt);
  }
  // The client is the peer: no index, so the rightmost value.
  expect_client(client_of(kProxy, {"", "", "https"}), "10.0.0.1", true);
  expect_client(client_of(kProxy, {"", "unknown", "http"}), "10.0.0.1", false);
}

TEST(ForwardedClient, OnlyTheSixtyFourNearestHopsAreConsidered) {
  // 100 trusted hops behind the client: the walk ends at the 64th nearest.
  const std::string chain = "198.51.100.1, " + trusted_chain(100);
  expect_client(client_of(kProxy, {"", chain, ""}), "10.1.0.36", std::nullopt);
  // 63 trusted hops: the client is the 64th.
  expect_client(client_of(kProxy, {"", "6.6.6.6, 198.51.100.1, " + trusted_chain(63), ""}), "198.51.100.1",
                std::nullopt);

  std::string forwarded;
  for (std::size_t i = 0; i < 100; ++i) {
    forwarded += (i == 0 ? "" : ", ") + std::string("for=10.1.0.") + std::to_string(i) +
                 (i == 36 ? ";proto=https" : ";proto=http");
  }
  expect_client(client_of(kProxy, {forwarded, "", ""}), "10.1.0.36", true);

  // X-Forwarded-Proto stays aligned with the whole X-Forwarded-For.
  std::string protos;
  for (std::size_t i = 0; i < 100; ++i) protos += (i == 0 ? "" : ",") + std::string(i == 36 ? "https" : "http");
  expect_client(client_of(kProxy, {"", trusted_chain(100), protos}), "10.1.0.36", true);
}

TEST(ForwardedClient, HugeHeadersAreReadWithoutFailing) {
  std::string many_hops;
  for (std::size_t i = 0; i < 20000; ++i) many_hops += "for=6.6.6." + std::to_string(i % 256) + ", ";
  many_hops += "for=198.51.100.1;proto=https";
  expect_client(client_of(kProxy, {many_hops, "", ""}), "198.51.100.1", true);
  expect_client(client_of(kProxy, {"", std::string(1 << 20, ',') + "198.51.100.1", std::string(1 << 20, ',')}),
                "198.51.100.1", std::nullopt);
  expect_client(client_of(kProxy, {std::string(1 << 20, '"'), std::string(1 << 20, 'x'), std::string(1 << 20, 'h')}),
                "10.0.0.1", std::nullopt);
  expect_client(client_of(kProxy, {"for=\"" + std::string(1 << 20, '\\'), "", ""}), "10.0.0.1", std::nullopt);
}

}  // namespace
