#pragma once
// Entity-tag comparison for If-None-Match (RFC 9110 §13.1.2): true when the
// header is "*" or lists `etag` (a quoted tag) in its comma-separated list;
// weak tags ("W/...") compare weakly, as the RFC asks for GET.

#include <string_view>

namespace apiota::api {

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace apiota::api
