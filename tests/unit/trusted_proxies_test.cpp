#include "http/trusted_proxies.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using namespace apiota::http;

namespace {

namespace ip = boost::asio::ip;

ip::address address(const char* text) { return ip::make_address(text); }

// The message parse() throws for `entries`, or "" when it does not throw.
std::string refusal(const std::vector<std::string>& entries) {
  try {
    TrustedProxies::parse(entries);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

void expect_contains(const TrustedProxies& trusted, const std::vector<const char*>& inside,
                     const std::vector<const char*>& outside) {
  for (const char* a : inside) EXPECT_TRUE(trusted.contains(address(a))) << a;
  for (const char* a : outside) EXPECT_FALSE(trusted.contains(address(a))) << a;
}

TEST(TrustedProxies, DefaultAndEmptyListTrustNobody) {
  for (const TrustedProxies& trusted : {TrustedProxies{}, TrustedProxies::parse({})}) {
    EXPECT_TRUE(trusted.empty());
    expect_contains(trusted, {}, {"127.0.0.1", "0.0.0.0", "::1", "::", "::ffff:127.0.0.1"});
  }
}

TEST(TrustedProxies, SingleAddressesTrustOnlyThemselves) {
  const TrustedProxies trusted = TrustedProxies::parse({"127.0.0.1", "::1", "2001:db8::7"});
  EXPECT_FALSE(trusted.empty());
  expect_contains(trusted, {"127.0.0.1", "::1", "2001:db8::7", "::ffff:127.0.0.1"},
                  {"127.0.0.2", "126.0.0.1", "::2", "::", "2001:db8::6", "2001:db8::7:0", "0.0.0.1"});
}

TEST(TrustedProxies, Ipv4NetworksEndExactlyAtTheirPrefix) {
  expect_contains(TrustedProxies::parse({"10.0.0.0/8"}), {"10.0.0.0", "10.255.255.255", "10.1.2.3"},
                  {"11.0.0.0", "9.255.255.255", "110.0.0.1"});
  expect_contains(TrustedProxies::parse({"172.16.0.0/12"}), {"172.16.0.0", "172.31.255.255"},
                  {"172.32.0.0", "172.15.255.255"});
  expect_contains(TrustedProxies::parse({"192.168.1.0/25"}), {"192.168.1.0", "192.168.1.127"},
                  {"192.168.1.128", "192.168.0.255"});
  expect_contains(TrustedProxies::parse({"192.0.2.7/32"}), {"192.0.2.7"}, {"192.0.2.6", "192.0.2.8"});
  expect_contains(TrustedProxies::parse({"0.0.0.0/0"}), {"0.0.0.0", "255.255.255.255", "::ffff:8.8.8.8"},
                  {"::1", "2001:db8::1", "::8.8.8.8"});
}

TEST(TrustedProxies, Ipv6NetworksEndExactlyAtTheirPrefix) {
  expect_contains(TrustedProxies::parse({"fd00::/8"}), {"fd00::", "fdff:ffff::1", "fd12:3456::"},
                  {"fe00::", "fc00::1", "::1"});
  expect_contains(TrustedProxies::parse({"2001:db8::/33"}), {"2001:db8::1", "2001:db8:7fff:ffff::1"},
                  {"2001:db8:8000::", "2001:db9::"});
  expect_contains(TrustedProxies::parse({"2001:db8::1/128"}), {"2001:db8::1"}, {"2001:db8::", "2001:db8::2"});
}

TEST(TrustedProxies, Ipv4MappedAddressesMatchIpv4Entries) {
  // What a dual-stack socket reports for an IPv4 client.
  expect_contains(TrustedProxies::parse({"10.0.0.0/8"}), {"::ffff:10.1.2.3", "10.1.2.3"},
                  {"::ffff:11.1.2.3",
                   // IPv4-compatible and NAT64 forms are IPv6 addresses, not IPv4 ones.
                   "::10.1.2.3", "64:ff9b::a01:203"});
}

TEST(TrustedProxies, MappedIpv6EntriesAreIpv4Networks) {
  expect_contains(TrustedProxies::parse({"::ffff:10.0.0.0/104"}), {"10.0.0.1", "10.255.255.255", "::ffff:10.9.9.9"},
                  {"11.0.0.0", "::ffff:11.0.0.0", "::10.0.0.1"});
  expect_contains(TrustedProxies::parse({"::ffff:192.0.2.7"}), {"192.0.2.7"}, {"192.0.2.8"});
}

TEST(TrustedProxies, WideIpv6NetworksCoverTheIpv4MappedRange) {
  expect_contains(TrustedProxies::parse({"::/0"}), {"1.2.3.4", "::1", "2001:db8::1"}, {});
  expect_contains(TrustedProxies::parse({"::/80"}), {"1.2.3.4", "::1"}, {"2001:db8::1"});
  // ::/96 holds the IPv4-compatible range, not the mapped one.
  expect_contains(TrustedProxies::parse({"::/96"}), {"::1.2.3.4"}, {"1.2.3.4", "::ffff:1.2.3.4"});
}

TEST(TrustedProxies, ScopeIdsAreIgnoredWhenMatching) {
  const TrustedProxies trusted = TrustedProxies::parse({"fe80::/10"});
  const ip::address_v6 scoped(ip::make_address_v6("fe80::1").to_bytes(), 3);
  EXPECT_TRUE(trusted.contains(ip::address(scoped)));
}

TEST(TrustedProxies, AnyEntryMatching) {
  expect_contains(TrustedProxies::parse({"10.0.0.0/8", "fd00::/8", "127.0.0.1", "192.168.0.0/16"}),
                  {"10.0.0.1", "fd00::1", "127.0.0.1", "192.168.255.1"}, {"127.0.0.2", "172.16.0.1", "2001:db8::1"});
}

TEST(TrustedProxies, RefusesMalformedEntriesNamingThem) {
  const std::vector<std::string> refused = {
      "localhost", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.01", "1.2.3.4.5", "1.2.3.", ".1.2.3.4",
      "0x0a.0.0.1", " 10.0.0.1", "10.0.0.1 ", "10.0.0.1\n", "[::1]", "::1::", "2001:db8:::1", "fe80::1%eth0",
      "fe80::1%2", "12345::", "/8", "10.0.0.0:8/8"};
  for (const std::string& entry : refused) {
    const std::string message = refusal({"127.0.0.1", entry});
    EXPECT_NE(message.find("not an IPv4 or IPv6 address"), std::string::npos) << entry << ": " << message;
  }
  EXPECT_EQ(refusal({"localhost"}), "trusted proxy \"localhost\": not an IPv4 or IPv6 address (or ADDRESS/PREFIX network)");
  EXPECT_EQ(refusal({"10.0.0.1\n"}), "trusted proxy \"10.0.0.1\\x0a\": not an IPv4 or IPv6 address (or ADDRESS/PREFIX network)");
  EXPECT_EQ(refusal({""}), "trusted proxy \"\": empty entry");
}

TEST(TrustedProxies, RefusesPrefixLengthsOutOfRangeOrNotPlainNumbers) {
  for (const std::string entry : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08",
                                  "10.0.0.0/ 8", "10.0.0.0/8 ", "10.0.0.0/1000", "10.0.0.0/x", "10.0.0.0/8/8"}) {
    EXPECT_EQ(refusal({entry}), "trusted proxy \"" + entry + "\": the prefix length must be a number from 0 to 32");
  }
  for (const std::string entry : {"::/129", "fd00::/", "fd00::/008", "::/4294967304"}) {
    EXPECT_EQ(refusal({entry}), "trusted proxy \"" + entry + "\": the prefix length must be a number from 0 to 128");
  }
}

TEST(TrustedProxies, RefusesBitsSetAfterThePrefixNamingTheNetwork) {
  EXPECT_EQ(refusal({"10.0.0.1/8"}),
            "trusted proxy \"10.0.0.1/8\": bits are set after the /8 prefix (the network is 10.0.0.0/8)");
  EXPECT_EQ(refusal({"192.168.1.200/25"}),
            "trusted proxy \"192.168.1.200/25\": bits are set after the /25 prefix (the network is 192.168.1.128/25)");
  EXPECT_EQ(refusal({"1.2.3.4/0"}), "trusted proxy \"1.2.3.4/0\": bits are set after the /0 prefix (the network is 0.0.0.0/0)");
  EXPECT_EQ(refusal({"fd00::1/8"}), "trusted proxy \"fd00::1/8\": bits are set after the /8 prefix (the network is fd00::/8)");
  EXPECT_EQ(refusal({"::ffff:10.0.0.1/104"}),
            "trusted proxy \"::ffff:10.0.0.1/104\": bits are set after the /104 prefix (the network is ::ffff:10.0.0.0/104)");
  EXPECT_EQ(refusal({"10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"}), "");
}

TEST(TrustedProxiesAddressText, ReadsStrictIpv4AndIpv6) {
  EXPECT_EQ(parse_ip_address("192.0.2.1"), address("192.0.2.1"));
  EXPECT_EQ(parse_ip_address("0.0.0.0"), address("0.0.0.0"));
  EXPECT_EQ(parse_ip_address("255.255.255.255"), address("255.255.255.255"));
  EXPECT_EQ(parse_ip_address("2001:DB8::A"), address("2001:db8::a"));
  EXPECT_EQ(parse_ip_address("::"), address("::"));
  EXPECT_EQ(parse_ip_address("::ffff:192.0.2.1"), address("::ffff:192.0.2.1"));
  EXPECT_EQ(parse_ip_address("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"),
            address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_TRUE(parse_ip_address("192.0.2.1")->is_v4());
  EXPECT_TRUE(parse_ip_address("::ffff:192.0.2.1")->is_v6());

  const std::vector<std::string> refused = {"", "1", "1.2.3", "1.2.3.4.", "01.2.3.4", "1.2.3.04", "1.2.3.256", "1.2.3.-4", "1.2.3.+4", "1.2.3.4 ",
        " 1.2.3.4", "1.2..3", "1.2.3.4:80", "[::1]", "::1%lo", "::1 ", ":", ":::", "1:2:3:4:5:6:7:8:9", "g::1",
        "::ffff:01.2.3.4", "::ffff:1.2.3.4:80", std::string("1.2.3.4\0", 8),
        "0000:0000:0000:0000:0000:0000:0000:0000:0"};
  for (const std::string& text : refused) {
    EXPECT_EQ(parse_ip_address(text), std::nullopt) << text;
  }
}

}  // namespace
