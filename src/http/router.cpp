#include "http/router.h"

#include <optional>

namespace apiota::http {
namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> out;
  while (!pattern.empty()) {
    if (pattern.front() == '/') {
      pattern.remove_prefix(1);
      continue;
    }
    auto slash = pattern.find('/');
    out.emplace_back(pattern.substr(0, slash));
    pattern.remove_prefix(slash == std::string_view::npos ? pattern.size() : slash);
  }
  return out;
}

bool is_placeholder(const std::string& segment) { return segment.size() > 2 && segment.front() == '{'; }

std::optional<std::vector<std::string>> match_segments(const std::vector<std::string>& pattern,
                                                       const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_placeholder(pattern[i])) {
      if (path[i].empty()) return std::nullopt;
      params.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return std::nullopt;
    }
  }
  return params;
}

}  // namespace

void Router::add(std::string_view method, std::string_view pattern, Handler handler, RouteKind kind,
                 FastHandler fast) {
  routes_.push_back({std::string(method), split_pattern(pattern), std::move(handler), kind, std::move(fast)});
}

RouteMatch Router::match(std::string_view method, const std::vector<std::string>& segments) const {
  std::string_view effective = method == "HEAD" ? "GET" : method;
  RouteMatch result;
  for (const auto& route : routes_) {
    auto params = match_segments(route.segments, segments);
    if (!params) continue;
    if (route.method == effective) {
      result.outcome = RouteMatch::Outcome::Found;
      result.handler = &route.handler;
      result.fast = route.fast ? &route.fast : nullptr;
      result.kind = route.kind;
      result.params = std::move(*params);
      result.allow.clear();
      return result;
    }
    result.outcome = RouteMatch::Outcome::MethodNotAllowed;
    if (result.allow.find(route.method) == std::string::npos) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += route.method;
      if (route.method == "GET") result.allow += ", HEAD";
    }
  }
  return result;
}

}  // namespace apiota::http
