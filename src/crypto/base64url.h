#pragma once
// Base64url (RFC 4648 section 5) without padding, by OpenSSL's encoder: the
// text form of random tokens that travel in cookies and URLs.

#include <cstdint>
#include <span>
#include <string>

namespace apiota::crypto {

std::string base64url(std::span<const std::uint8_t> bytes);

}  // namespace apiota::crypto
