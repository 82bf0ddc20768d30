#include "http/transfer_encoding.h"

namespace apiota::http {
namespace bhttp = boost::beast::http;

namespace {

std::string_view trim_whitespace(std::string_view value) {
  constexpr std::string_view kWhitespace = " \t";
  auto first = value.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return value.substr(first, value.find_last_not_of(kWhitespace) - first + 1);
}

}  // namespace

bool transfer_encoding_acceptable(const bhttp::request_header<>& head) {
  auto [first, last] = head.equal_range(bhttp::field::transfer_encoding);
  if (first == last) return true;
  if (std::next(first) != last || head.version() < 11) return false;
  return boost::beast::iequals(trim_whitespace(first->value()), "chunked");
}

bool is_transfer_encoding_error(const boost::system::error_code& ec, const bhttp::request_header<>& partial_head) {
  if (ec == bhttp::error::bad_transfer_encoding) return true;
  return ec == bhttp::error::bad_content_length && partial_head.count(bhttp::field::transfer_encoding) > 0;
}

}  // namespace apiota::http
