#include "http/proxy_protocol.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace apiota::http {

namespace {

namespace ip = boost::asio::ip;

using Status = ProxyHeader::Status;

const ProxyHeader kNeedMore{Status::NeedMore, 0, std::nullopt};
const ProxyHeader kInvalid{Status::Invalid, 0, std::nullopt};

// ---- Version 1 ----

constexpr std::size_t kMaxV1Bytes = 107;
// The longest IPv6 text inet_pton reads: eight groups of four hex digits, or
// six groups and a dotted IPv4 part.
constexpr std::size_t kMaxIpv6TextLength = 45;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether `text` is `count` '.'-separated decimal numbers without leading
// zeros, each at most `max_value` (`whole`), or the start of such a text.
bool is_decimal_numbers(std::string_view text, std::size_t count, unsigned max_value, bool whole) {
  std::size_t numbers = 1;
  std::size_t digits = 0;
  unsigned value = 0;
  for (char c : text) {
    if (c == '.') {
      if (digits == 0 || numbers == count) return false;
      ++numbers;
      digits = 0;
      value = 0;
    } else if (is_digit(c)) {
      if (digits == 1 && value == 0) return false;
      value = value * 10 + static_cast<unsigned>(c - '0');
      ++digits;
      if (value > max_value) return false;
    } else {
      return false;
    }
  }
  return !whole || (numbers == count && digits > 0);
}

enum class Field { Ipv4, Ipv6, Port };

// Whether `text` is a whole field of `kind` (`whole`) or may be the start of
// one.
bool is_field(Field kind, std::string_view text, bool whole) {
  switch (kind) {
    case Field::Ipv4:
      return is_decimal_numbers(text, 4, 255, whole);
    case Field::Port:
      return is_decimal_numbers(text, 1, 65535, whole);
    case Field::Ipv6: {
      const bool plausible = text.size() <= kMaxIpv6TextLength && std::all_of(text.begin(), text.end(), [](char c) {
                               return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
                                      c == '.';
                             });
      if (!plausible || !whole) return plausible;
      boost::system::error_code error;
      ip::make_address_v6(std::string(text), error);
      return !error;
    }
  }
  return false;
}

// Reads a version 1 line left to right. Each step returns nullopt when it
// read what it expects, or the answer: Invalid for a byte that cannot be
// there, NeedMore when the bytes end first (Invalid when they end at the
// 107-byte limit, since the line must end by then).
class V1Reader {
 public:
  explicit V1Reader(std::string_view bytes)
      : text_(bytes.substr(0, kMaxV1Bytes)), at_limit_(bytes.size() >= kMaxV1Bytes) {}

  std::optional<ProxyHeader> literal(std::string_view expected) {
    const std::string_view rest = text_.substr(at_);
    const std::size_t n = std::min(rest.size(), expected.size());
    if (rest.substr(0, n) != expected.substr(0, n)) return kInvalid;
    if (n < expected.size()) return ran_out();
    at_ += n;
    return std::nullopt;
  }

  // Reads "TCP4 ", "TCP6 " or "UNKNOWN" into `name`.
  std::optional<ProxyHeader> family(std::string_view& name) {
    const std::string_view rest = text_.substr(at_);
    bool may_follow = false;
    for (const std::string_view candidate : {"TCP4 ", "TCP6 ", "UNKNOWN"}) {
      if (rest.starts_with(candidate)) {
        name = candidate;
        at_ += candidate.size();
        return std::nullopt;
      }
      may_follow = may_follow || candidate.starts_with(rest);
    }
    return may_follow ? ran_out() : kInvalid;
  }

  // Reads a field of `kind` up to the next space or CR into `text`, leaving
  // that byte unread.
  std::optional<ProxyHeader> field(Field kind, std::string_view& text) {
    std::size_t end = at_;
    while (end < text_.size() && text_[end] != ' ' && text_[end] != '\r') ++end;
    text = text_.substr(at_, end - at_);
    const bool whole = end < text_.size();
    if (!is_field(kind, text, whole)) return kInvalid;
    if (!whole) return ran_out();
    at_ = end;
    return std::nullopt;
  }

  // After "UNKNOWN": "\r\n", or a space and bytes other than CR and LF up to
  // "\r\n".
  std::optional<ProxyHeader> unknown_rest() {
    if (at_ < text_.size() && text_[at_] == ' ') {
      ++at_;
      while (at_ < text_.size() && text_[at_] != '\r' && text_[at_] != '\n') ++at_;
    }
    return literal("\r\n");
  }

  std::size_t consumed() const { return at_; }

 private:
  ProxyHeader ran_out() const { return at_limit_ ? kInvalid : kNeedMore; }

  std::string_view text_;
  bool at_limit_;
  std::size_t at_ = 0;
};

ProxyHeader parse_v1(std::string_view bytes) {
  V1Reader reader(bytes);
  std::string_view family;
  if (auto answer = reader.literal("PROXY ")) return *answer;
  if (auto answer = reader.family(family)) return *answer;
  if (family == "UNKNOWN") {
    if (auto answer = reader.unknown_rest()) return *answer;
    return {Status::Complete, reader.consumed(), std::nullopt};
  }

  const Field address_field = family == "TCP4 " ? Field::Ipv4 : Field::Ipv6;
  std::string_view source;
  if (auto answer = reader.field(address_field, source)) return *answer;
  for (const Field later_field : {address_field, Field::Port, Field::Port}) {
    std::string_view later_text;
    if (auto answer = reader.literal(" ")) return *answer;
    if (auto answer = reader.field(later_field, later_text)) return *answer;
  }
  if (auto answer = reader.literal("\r\n")) return *answer;
  return {Status::Complete, reader.consumed(), ip::make_address(std::string(source))};
}

// ---- Version 2 ----

constexpr std::array<unsigned char, 12> kV2Signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                        0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr std::size_t kV2FixedBytes = 16;
constexpr std::size_t kMaxV2AddressBytes = kMaxProxyHeaderBytes - kV2FixedBytes;

constexpr unsigned kCommandLocal = 0x0;
constexpr unsigned kCommandProxy = 0x1;
constexpr unsigned kFamilyInet = 0x1;
constexpr unsigned kFamilyInet6 = 0x2;
constexpr unsigned kFamilyUnix = 0x3;
constexpr unsigned kTransportUnspec = 0x0;
constexpr unsigned kTransportStream = 0x1;
constexpr unsigned kTransportDgram = 0x2;

// The address bytes a PROXY command with this family/transport byte needs,
// or nullopt when it is refused.
std::optional<std::size_t> v2_address_bytes(unsigned char family_transport) {
  const unsigned family = family_transport >> 4;
  const unsigned transport = family_transport & 0x0FU;
  if (family > kFamilyUnix || transport > kTransportDgram) return std::nullopt;
  switch (family) {
    case kFamilyInet:
      return transport == kTransportStream ? std::optional<std::size_t>(2 * 4 + 2 * 2) : std::nullopt;
    case kFamilyInet6:
      return transport == kTransportStream ? std::optional<std::size_t>(2 * 16 + 2 * 2) : std::nullopt;
    case kFamilyUnix:
      return transport == kTransportUnspec ? 0 : 2 * 108;
    default:
      return 0;
  }
}

ProxyHeader parse_v2(std::span<const unsigned char> bytes) {
  constexpr std::size_t kVersionCommandAt = 12;
  constexpr std::size_t kFamilyTransportAt = 13;
  constexpr std::size_t kLengthAt = 14;  // 2 bytes, big-endian

  const auto signature = bytes.first(std::min(bytes.size(), kV2Signature.size()));
  if (!std::equal(signature.begin(), signature.end(), kV2Signature.begin())) return kInvalid;
  if (bytes.size() <= kVersionCommandAt) return kNeedMore;
  const unsigned version = bytes[kVersionCommandAt] >> 4;
  const unsigned command = bytes[kVersionCommandAt] & 0x0FU;
  if (version != 2 || (command != kCommandLocal && command != kCommandProxy)) return kInvalid;

  if (bytes.size() <= kFamilyTransportAt) return kNeedMore;
  const unsigned char family_transport = bytes[kFamilyTransportAt];
  const std::optional<std::size_t> address_bytes =
      command == kCommandLocal ? std::optional<std::size_t>(0) : v2_address_bytes(family_transport);
  if (!address_bytes) return kInvalid;

  if (bytes.size() <= kLengthAt) return kNeedMore;
  const std::size_t length_high = static_cast<std::size_t>(bytes[kLengthAt]) << 8;
  if (length_high > kMaxV2AddressBytes) return kInvalid;
  if (bytes.size() < kV2FixedBytes) return kNeedMore;
  const std::size_t length = length_high | bytes[kLengthAt + 1];
  if (length > kMaxV2AddressBytes || length < *address_bytes) return kInvalid;
  if (bytes.size() < kV2FixedBytes + length) return kNeedMore;

  ProxyHeader header{Status::Complete, kV2FixedBytes + length, std::nullopt};
  if (command == kCommandProxy) {
    const auto addresses = bytes.subspan(kV2FixedBytes);
    if (family_transport >> 4 == kFamilyInet) {
      ip::address_v4::bytes_type source;
      std::copy_n(addresses.begin(), source.size(), source.begin());
      header.source = ip::address_v4(source);
    } else if (family_transport >> 4 == kFamilyInet6) {
      ip::address_v6::bytes_type source;
      std::copy_n(addresses.begin(), source.size(), source.begin());
      header.source = ip::address_v6(source);
    }
  }
  return header;
}

}  // namespace

ProxyHeader parse_proxy_header(std::span<const unsigned char> bytes) {
  if (bytes.empty()) return kNeedMore;
  if (bytes[0] == kV2Signature[0]) return parse_v2(bytes);
  return parse_v1(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace apiota::http
