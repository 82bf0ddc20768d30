#include "http/trusted_proxies.h"

#include <stdexcept>

#include "domain/printable.h"

namespace apiota::http {

namespace {

namespace ip = boost::asio::ip;

using Bytes16 = std::array<std::uint8_t, 16>;

// The longest IPv6 text inet_pton reads: eight groups of four hex digits, or
// six groups and a dotted IPv4 part.
constexpr std::size_t kMaxIpv6TextLength = 45;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A decimal number of 1-`max_digits` digits without a leading zero.
std::optional<unsigned> parse_plain_decimal(std::string_view digits, std::size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits) return std::nullopt;
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  unsigned value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

std::optional<ip::address_v4> parse_ipv4(std::string_view text) {
  ip::address_v4::bytes_type bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::size_t dot = text.find('.');
    const bool last = i + 1 == bytes.size();
    if (last != (dot == std::string_view::npos)) return std::nullopt;
    const std::optional<unsigned> octet = parse_plain_decimal(text.substr(0, dot), 3);
    if (!octet || *octet > 255) return std::nullopt;
    bytes[i] = static_cast<unsigned char>(*octet);
    if (!last) text.remove_prefix(dot + 1);
  }
  return ip::address_v4(bytes);
}

std::optional<ip::address_v6> parse_ipv6(std::string_view text) {
  if (text.size() > kMaxIpv6TextLength) return std::nullopt;
  for (char c : text) {
    const bool hex = is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':' && c != '.') return std::nullopt;
  }
  boost::system::error_code error;
  const ip::address_v6 address = ip::make_address_v6(std::string(text), error);
  if (error) return std::nullopt;
  return address;
}

// `address` in the 128-bit space: IPv4 as its IPv4-mapped IPv6 form.
Bytes16 to_v6_bytes(const ip::address& address) {
  if (address.is_v6()) return address.to_v6().to_bytes();
  return ip::make_address_v6(ip::v4_mapped, address.to_v4()).to_bytes();
}

// `bytes` with every bit after the first `prefix_length` cleared.
Bytes16 network_of(Bytes16 bytes, unsigned prefix_length) {
  for (unsigned i = 0; i < bytes.size(); ++i) {
    const unsigned kept_bits = prefix_length > i * 8 ? prefix_length - i * 8 : 0;
    if (kept_bits < 8) bytes[i] &= static_cast<std::uint8_t>(0xFFU << (8 - kept_bits));
  }
  return bytes;
}

[[noreturn]] void refuse(const std::string& entry, const std::string& reason) {
  throw std::invalid_argument("trusted proxy \"" + domain::printable(entry) + "\": " + reason);
}

}  // namespace

std::optional<ip::address> parse_ip_address(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    if (const std::optional<ip::address_v6> v6 = parse_ipv6(text)) return ip::address(*v6);
    return std::nullopt;
  }
  if (const std::optional<ip::address_v4> v4 = parse_ipv4(text)) return ip::address(*v4);
  return std::nullopt;
}

TrustedProxies TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies trusted;
  for (const std::string& entry : entries) {
    if (entry.empty()) refuse(entry, "empty entry");
    const std::string_view text = entry;
    const std::size_t slash = text.find('/');
    const std::optional<ip::address> address = parse_ip_address(text.substr(0, slash));
    if (!address) refuse(entry, "not an IPv4 or IPv6 address (or ADDRESS/PREFIX network)");

    const unsigned width = address->is_v4() ? 32 : 128;
    unsigned prefix_length = width;
    if (slash != std::string_view::npos) {
      const std::optional<unsigned> parsed = parse_plain_decimal(text.substr(slash + 1), 3);
      if (!parsed || *parsed > width) {
        refuse(entry, "the prefix length must be a number from 0 to " + std::to_string(width));
      }
      prefix_length = *parsed;
    }

    const Network network{to_v6_bytes(*address), prefix_length + (128 - width)};
    const ip::address_v6 masked(network_of(network.bytes, network.prefix_length));
    if (masked.to_bytes() != network.bytes) {
      const std::string network_text =
          address->is_v4() ? ip::make_address_v4(ip::v4_mapped, masked).to_string() : masked.to_string();
      refuse(entry, "bits are set after the /" + std::to_string(prefix_length) + " prefix (the network is " +
                        network_text + "/" + std::to_string(prefix_length) + ")");
    }
    trusted.networks_.push_back(network);
  }
  return trusted;
}

bool TrustedProxies::empty() const { return networks_.empty(); }

bool TrustedProxies::contains(const ip::address& address) const {
  const Bytes16 bytes = to_v6_bytes(address);
  for (const Network& network : networks_) {
    if (network_of(bytes, network.prefix_length) == network.bytes) return true;
  }
  return false;
}

}  // namespace apiota::http
