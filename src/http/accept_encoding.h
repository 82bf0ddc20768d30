#pragma once
// Choosing the content coding of a precompressed console file from the
// request's Accept-Encoding (RFC 9110 section 12.5.3): each coding's weight
// is its own q-value, else that of "*", else 0; a coding with weight 0 is not
// acceptable. Among the available codings the highest weight wins, ties
// going to the smaller encoding (br, then gzip, then identity). Identity is
// the fallback: not listed, it ranks below every acceptable coding, and when
// nothing available is acceptable it is sent anyway (rather than 406).
// Malformed q-values count as 0. Pure and thread-safe.

#include <optional>
#include <string_view>

namespace apiota::http {

enum class ContentCoding { Identity, Gzip, Brotli };

struct AvailableCodings {
  bool gzip = false;
  bool brotli = false;
};

ContentCoding choose_coding(std::optional<std::string_view> accept_encoding, AvailableCodings available);

}  // namespace apiota::http
