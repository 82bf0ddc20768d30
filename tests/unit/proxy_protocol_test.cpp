#include "http/proxy_protocol.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

using namespace apiota::http;

namespace apiota::http {

std::ostream& operator<<(std::ostream& out, ProxyHeader::Status status) {
  switch (status) {
    case ProxyHeader::Status::NeedMore:
      return out << "NeedMore";
    case ProxyHeader::Status::Invalid:
      return out << "Invalid";
    case ProxyHeader::Status::Complete:
      return out << "Complete";
  }
  return out << "?";
}

}  // namespace apiota::http

namespace {

using namespace std::string_literals;
using Status = ProxyHeader::Status;
namespace ip = boost::asio::ip;

ProxyHeader parse(std::string_view bytes) {
  return parse_proxy_header(
      std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

std::string printable_prefix(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7F) {
      out += c;
    } else {
      out += "\\x";
      out += "0123456789abcdef"[b >> 4];
      out += "0123456789abcdef"[b & 0xF];
    }
  }
  return out;
}

// `header` is a whole valid header: each shorter prefix is NeedMore, and it is
// Complete, alone and followed by the client's bytes, with its length and
// `source`.
void expect_header(const std::string& header, std::optional<ip::address> source) {
  SCOPED_TRACE(printable_prefix(header));
  for (std::size_t n = 0; n < header.size(); ++n) {
    EXPECT_EQ(parse(header.substr(0, n)).status, Status::NeedMore) << "prefix of " << n << " bytes";
  }
  for (const std::string& after : {""s, "GET / HTTP/1.1\r\n\r\n"s, "\r\n"s, std::string(600, '\0')}) {
    const ProxyHeader parsed = parse(header + after);
    EXPECT_EQ(parsed.status, Status::Complete);
    EXPECT_EQ(parsed.length, header.size());
    EXPECT_EQ(parsed.source, source);
  }
}

// `valid_prefix` + `rest` is malformed from the first byte of `rest` on:
// every prefix up to `valid_prefix` is NeedMore, every longer one Invalid.
void expect_invalid_from(const std::string& valid_prefix, const std::string& rest) {
  SCOPED_TRACE(printable_prefix(valid_prefix) + " | " + printable_prefix(rest));
  ASSERT_FALSE(rest.empty());
  const std::string bytes = valid_prefix + rest;
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    const ProxyHeader parsed = parse(bytes.substr(0, n));
    EXPECT_EQ(parsed.status, n <= valid_prefix.size() ? Status::NeedMore : Status::Invalid)
        << "prefix of " << n << " bytes";
    EXPECT_EQ(parsed.length, 0U);
    EXPECT_EQ(parsed.source, std::nullopt);
  }
}

const std::string kV2Signature = "\r\n\r\n\0\r\nQUIT\n"s;

std::string big_endian16(std::size_t value) {
  return {static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
}

// A version 2 header: signature, the two given bytes, `payload` and a length
// field of payload.size() unless `declared_length` says otherwise.
std::string v2(unsigned char version_command, unsigned char family_transport, const std::string& payload,
               std::optional<std::size_t> declared_length = std::nullopt) {
  return kV2Signature + static_cast<char>(version_command) + static_cast<char>(family_transport) +
         big_endian16(declared_length.value_or(payload.size())) + payload;
}

std::string bytes_of(std::initializer_list<unsigned> values) {
  std::string out;
  for (const unsigned v : values) out += static_cast<char>(v);
  return out;
}

// 192.0.2.1 -> 198.51.100.2, ports 56324 -> 443.
const std::string kInetAddresses = bytes_of({192, 0, 2, 1, 198, 51, 100, 2, 0xDC, 0x04, 0x01, 0xBB});
// 2001:db8::1 -> 2001:db8::2, ports 4711 -> 443.
const std::string kInet6Addresses =
    bytes_of({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
              0,    0,    0,    0,    0, 0, 0, 2, 0x12, 0x67, 0x01, 0xBB});

std::optional<ip::address> address(const char* text) { return ip::make_address(text); }

TEST(ProxyProtocol, V1Tcp4NamesTheSource) {
  expect_header("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n", address("192.0.2.1"));
  expect_header("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n", address("0.0.0.0"));
  expect_header("PROXY TCP4 255.255.255.255 10.0.0.1 65535 0\r\n", address("255.255.255.255"));
  expect_header("PROXY TCP4 1.2.3.4 5.6.7.8 10 9\r\n", address("1.2.3.4"));
}

TEST(ProxyProtocol, V1Tcp6NamesTheSource) {
  expect_header("PROXY TCP6 2001:db8::1 2001:db8::2 4711 443\r\n", address("2001:db8::1"));
  expect_header("PROXY TCP6 2001:DB8::A ::1 1 2\r\n", address("2001:db8::a"));
  expect_header("PROXY TCP6 ::ffff:192.0.2.1 :: 1 2\r\n", address("::ffff:192.0.2.1"));
  // The longest version 1 line of an IPv6 connection.
  const std::string longest = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  expect_header("PROXY TCP6 " + longest + " " + longest + " 65535 65535\r\n",
                address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
}

TEST(ProxyProtocol, V1UnknownHasNoSource) {
  expect_header("PROXY UNKNOWN\r\n", std::nullopt);
  expect_header("PROXY UNKNOWN \r\n", std::nullopt);
  expect_header("PROXY UNKNOWN whatever the sender \x01\xff wrote\r\n", std::nullopt);
  const std::string longest = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  const std::string worst_case = "PROXY UNKNOWN " + longest + " " + longest + " 65535 65535\r\n";
  ASSERT_EQ(worst_case.size(), 107U);
  expect_header(worst_case, std::nullopt);
}

TEST(ProxyProtocol, V1LineMustEndWithin107Bytes) {
  expect_invalid_from("PROXY UNKNOWN " + std::string(92, 'a'), "a\r\n");
  expect_invalid_from("PROXY UNKNOWN " + std::string(92, 'a'), "\r\n");
  expect_header("PROXY UNKNOWN " + std::string(91, 'a') + "\r\n", std::nullopt);
}

TEST(ProxyProtocol, V1MalformedIsInvalidFromTheFirstWrongByte) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "GET / HTTP/1.1\r\n\r\n"},
      {"", "\x16\x03\x01"},
      {"", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"},
      {"PROXY", "\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n"},
      {"PROXY ", " TCP4 1.2.3.4 5.6.7.8 1 2\r\n"},
      {"PROXY ", "tcp4 1.2.3.4 5.6.7.8 1 2\r\n"},
      {"PROXY TCP", "5 1.2.3.4 5.6.7.8 1 2\r\n"},
      {"PROXY TCP4", "\r\n"},
      {"PROXY TCP4 ", " 1.2.3.4 5.6.7.8 1 2\r\n"},
      {"PROXY TCP4 192.0.2.0", "1 198.51.100.2 1 2\r\n"},
      {"PROXY TCP4 192.0.2.25", "6 198.51.100.2 1 2\r\n"},
      {"PROXY TCP4 192.0.2.1", ".1 198.51.100.2 1 2\r\n"},
      {"PROXY TCP4 192.0.2.", ". 198.51.100.2 1 2\r\n"},
      {"PROXY TCP4 192.0.2", " 198.51.100.2 1 2\r\n"},
      {"PROXY TCP4 ", ".192.0.2.1 198.51.100.2 1 2\r\n"},
      {"PROXY TCP4 1", ":2::1 ::1 1 2\r\n"},
      {"PROXY TCP4 192.0.2.1", "\r\n"},
      {"PROXY TCP4 192.0.2.1 ", " 198.51.100.2 1 2\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 0", "1 443\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 6553", "6 443\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 9999", "99 443\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 ", "-1 443\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 ", "+1 443\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 56324", "\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 56324 443", " \r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 56324 443", "\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r", "\r\n"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r", "X"},
      {"PROXY TCP4 192.0.2.1 198.51.100.2 56324 443", "\t\r\n"},
      // IPv6 fields are checked by their characters until they end.
      {"PROXY TCP6 192.0.2.1", " 198.51.100.2 1 2\r\n"},
      {"PROXY TCP6 fe80::1", "%eth0 ::1 1 2\r\n"},
      {"PROXY TCP6 2001:db8::1 192.0.2.1", " 1 2\r\n"},
      {"PROXY TCP6 ", "[2001:db8::1] ::1 1 2\r\n"},
      {"PROXY TCP6 1:2:3:4:5:6:7:8:9", " ::1 1 2\r\n"},
      {"PROXY TCP6 2001:db8:::1", " ::1 1 2\r\n"},
      {"PROXY TCP6 " + std::string(45, '0'), "0 ::1 1 2\r\n"},
      {"PROXY UNKNOWN", "X\r\n"},
      {"PROXY UNKNOWN", "\n"},
      {"PROXY UNKNOWN\r", "\r\n"},
      {"PROXY UNKNOWN foo", "\nbar\r\n"},
      {"PROXY UNKNOWN foo\r", "bar\r\n"},
      {"PROXY UNKNOW", "\r\n"},
  };
  for (const auto& [valid_prefix, rest] : cases) expect_invalid_from(valid_prefix, rest);
}

TEST(ProxyProtocol, V2TcpOverIpv4NamesTheSource) {
  expect_header(v2(0x21, 0x11, kInetAddresses), address("192.0.2.1"));
}

TEST(ProxyProtocol, V2TcpOverIpv6NamesTheSource) {
  expect_header(v2(0x21, 0x21, kInet6Addresses), address("2001:db8::1"));
}

TEST(ProxyProtocol, V2SkipsTlvsWithoutReadingThem) {
  // An ALPN TLV, then bytes that are no well-formed TLV: the length alone
  // decides where the header ends.
  const std::string tlvs = bytes_of({0x01, 0x00, 0x02, 'h', '2', 0x20, 0xFF, 0xFF, 0x00});
  expect_header(v2(0x21, 0x21, kInet6Addresses + tlvs), address("2001:db8::1"));
  expect_header(v2(0x21, 0x11, kInetAddresses + std::string(508, '\xAA')), address("192.0.2.1"));
}

TEST(ProxyProtocol, V2LocalIgnoresTheFamilyAndAddresses) {
  expect_header(v2(0x20, 0x00, ""), std::nullopt);
  expect_header(v2(0x20, 0x11, kInetAddresses), std::nullopt);
  expect_header(v2(0x20, 0x21, kInet6Addresses + "tlv"), std::nullopt);
  // Even a family a PROXY command may not use, and a length too short for it.
  expect_header(v2(0x20, 0xFF, ""), std::nullopt);
  expect_header(v2(0x20, 0x11, "abc"), std::nullopt);
}

TEST(ProxyProtocol, V2UnixAndUnspecifiedFamiliesHaveNoSource) {
  expect_header(v2(0x21, 0x31, std::string(216, 'u')), std::nullopt);
  expect_header(v2(0x21, 0x32, std::string(216, 'u') + "tlv"), std::nullopt);
  expect_header(v2(0x21, 0x30, ""), std::nullopt);
  expect_header(v2(0x21, 0x00, ""), std::nullopt);
  expect_header(v2(0x21, 0x00, "ignored"), std::nullopt);
  expect_header(v2(0x21, 0x01, ""), std::nullopt);
}

TEST(ProxyProtocol, V2LongestAcceptedHeaderFillsTheLimit) {
  const std::string longest = v2(0x21, 0x11, kInetAddresses + std::string(kMaxProxyHeaderBytes - 28, 't'));
  ASSERT_EQ(longest.size(), kMaxProxyHeaderBytes);
  expect_header(longest, address("192.0.2.1"));
}

TEST(ProxyProtocol, V2MalformedIsInvalidFromTheFirstWrongByte) {
  const std::string addresses = kInetAddresses;
  // A wrong byte at each position of the signature.
  for (std::size_t i = 0; i < kV2Signature.size(); ++i) {
    std::string header = v2(0x21, 0x11, addresses);
    header[i] = static_cast<char>(header[i] ^ 0x40);
    expect_invalid_from(header.substr(0, i), header.substr(i));
  }
  const std::string head = kV2Signature;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head, "\x11\x11"s + big_endian16(12) + addresses},                      // version 1
      {head, "\x31\x11"s + big_endian16(12) + addresses},                      // version 3
      {head, "\x01\x11"s + big_endian16(12) + addresses},                      // version 0
      {head, "\x22\x11"s + big_endian16(12) + addresses},                      // command 2
      {head, "\x2F\x11"s + big_endian16(12) + addresses},                      // command 15
      {head + "\x21"s, "\x41"s + big_endian16(12) + addresses},                 // family 4
      {head + "\x21"s, "\xF1"s + big_endian16(12) + addresses},                 // family 15
      {head + "\x21"s, "\x13"s + big_endian16(12) + addresses},                 // transport 3
      {head + "\x21"s, "\x12"s + big_endian16(12) + addresses},                 // UDP over IPv4
      {head + "\x21"s, "\x22"s + big_endian16(36) + kInet6Addresses},           // UDP over IPv6
      {head + "\x21"s, "\x10"s + big_endian16(12) + addresses},                 // IPv4, unspecified transport
      {head + "\x21"s, "\x20"s + big_endian16(36) + kInet6Addresses},           // IPv6, unspecified transport
      {head + "\x21"s, "\x03"s + big_endian16(0)},                              // unspecified family, transport 3
      {head + "\x21\x11\x00"s, "\x0B"s + addresses.substr(0, 11)},              // IPv4 addresses cut short
      {head + "\x21\x11\x00"s, "\x00"s},                                        // IPv4 with no addresses
      {head + "\x21\x21\x00"s, "\x23"s + kInet6Addresses.substr(0, 35)},        // IPv6 addresses cut short
      {head + "\x21\x21\x00"s, "\x0C"s + addresses},                            // IPv6 family, IPv4 length
      {head + "\x21\x31\x00"s, "\xD7"s + std::string(215, 'u')},                // UNIX addresses cut short
      {head + "\x21\x11\x02"s, "\x09"s + addresses + std::string(509, 't')},    // 521 bytes after the fixed 16
      {head + "\x21\x11"s, "\xFF\xFF"s + addresses},                            // 65535 bytes
      {head + "\x20\x00\x02"s, "\x09"s + std::string(521, 't')},                // LOCAL too long as well
  };
  for (const auto& [valid_prefix, rest] : cases) expect_invalid_from(valid_prefix, rest);
}

TEST(ProxyProtocol, V2WaitsForTheDeclaredLength) {
  // A header declaring more than has arrived is a prefix, not an error.
  const std::string header = v2(0x21, 0x21, kInet6Addresses + std::string(100, 't'));
  for (const std::size_t arrived : {16U, 17U, 51U, 52U, 151U}) {
    EXPECT_EQ(parse(header.substr(0, arrived)).status, Status::NeedMore) << arrived;
  }
  const ProxyHeader parsed = parse(header);
  EXPECT_EQ(parsed.status, Status::Complete);
  EXPECT_EQ(parsed.length, 152U);
}

TEST(ProxyProtocol, NeitherVersionIsInvalidAtOnce) {
  EXPECT_EQ(parse("").status, Status::NeedMore);
  for (const std::string& first : {"G"s, "\x16"s, "\0"s, "\n"s, "p"s, " "s, "\xff"s}) {
    EXPECT_EQ(parse(first).status, Status::Invalid) << printable_prefix(first);
  }
  expect_invalid_from("\r\n\r\n", "\r\nGET"s);
  expect_invalid_from("\r\n\r\n", "GET / HTTP/1.1\r\n"s);
  expect_invalid_from("\r\n", "GET"s);
}

TEST(ProxyProtocol, NeverNeedsMoreOnceTheLimitHasArrived) {
  const std::vector<std::string> starts = {
      "PROXY UNKNOWN " + std::string(600, 'x'),
      "PROXY TCP6 " + std::string(600, ':'),
      v2(0x21, 0x11, std::string(600, 't'), kMaxProxyHeaderBytes - 16),
      v2(0x20, 0x00, std::string(600, 't'), kMaxProxyHeaderBytes - 16),
  };
  for (const std::string& start : starts) {
    EXPECT_NE(parse(start.substr(0, kMaxProxyHeaderBytes)).status, Status::NeedMore) << printable_prefix(start);
  }
}

}  // namespace
