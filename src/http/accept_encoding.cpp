#include "http/accept_encoding.h"

#include <boost/beast/core/string.hpp>

#include <charconv>

#include "api/header_text.h"

namespace apiota::http {
namespace {

// The q parameter among `params`, what follows a coding (";q=0.5;x=y"): 1
// when absent, 0 when malformed.
double q_value(std::string_view params) {
  while (!params.empty()) {
    if (params.front() == ';') {
      params.remove_prefix(1);
      continue;
    }
    const auto semicolon = params.find(';');
    const std::string_view param = api::trim_ows(params.substr(0, semicolon));
    params.remove_prefix(semicolon == std::string_view::npos ? params.size() : semicolon);
    const auto equals = param.find('=');
    if (equals == std::string_view::npos || !boost::beast::iequals(api::trim_ows(param.substr(0, equals)), "q")) continue;
    const std::string_view text = api::trim_ows(param.substr(equals + 1));
    double q = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), q, std::chars_format::fixed);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || q < 0 || q > 1) return 0;
    return q;
  }
  return 1;
}

}  // namespace

ContentCoding choose_coding(std::optional<std::string_view> accept_encoding, AvailableCodings available) {
  if (!accept_encoding) return ContentCoding::Identity;
  std::optional<double> brotli, gzip, identity, any;
  std::string_view rest = *accept_encoding;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = api::trim_ows(rest.substr(0, comma));
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    const auto semicolon = item.find(';');
    const std::string_view coding = api::trim_ows(item.substr(0, semicolon));
    const double q = semicolon == std::string_view::npos ? 1 : q_value(item.substr(semicolon));
    if (boost::beast::iequals(coding, "br")) brotli = q;
    if (boost::beast::iequals(coding, "gzip") || boost::beast::iequals(coding, "x-gzip")) gzip = q;
    if (boost::beast::iequals(coding, "identity")) identity = q;
    if (coding == "*") any = q;
  }
  const double w_brotli = available.brotli ? brotli.value_or(any.value_or(0)) : 0;
  const double w_gzip = available.gzip ? gzip.value_or(any.value_or(0)) : 0;
  // Unlisted identity is acceptable but ranks below every listed coding.
  const double w_identity = identity.value_or(any.value_or(0));
  if (w_brotli > 0 && w_brotli >= w_gzip && w_brotli >= w_identity) return ContentCoding::Brotli;
  if (w_gzip > 0 && w_gzip >= w_identity) return ContentCoding::Gzip;
  return ContentCoding::Identity;
}

}  // namespace apiota::http
