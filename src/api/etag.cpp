#include "api/etag.h"

#include "api/header_text.h"

namespace apiota::api {

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag) {
  if (trim_ows(if_none_match) == "*") return true;
  while (!if_none_match.empty()) {
    auto comma = if_none_match.find(',');
    auto tag = trim_ows(if_none_match.substr(0, comma));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (!tag.empty() && tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace apiota::api
