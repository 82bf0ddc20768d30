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
bool is_catch_all(const std::string& segment) { return is_placeholder(segment) && segment.ends_with("...}"); }

std::optional<std::vector<std::string>> match_segments(const std::vector<std::string>& pattern,
                                                       const std::vector<std::string>& path) {
  const bool catch_all = !pattern.empty() && is_catch_all(pattern.back());
  const std::size_t fixed = catch_all ? pattern.size() - 1 : pattern.size();
  if (catch_all ? path.size() < fixed : path.size() != fixed) return std::nullopt;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < fixed; ++i) {
    if (is_placeholder(pattern[i])) {
      if (path[i].empty()) return std::nullopt;
      params.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return std::nullopt;
    }
  }
  if (catch_all) {
    std::string rest;
    for (std::size_t i = fixed; i < path.size(); ++i) {
      if (i > fixed) rest += '/';
      rest += path[i];
    }
    params.push_back(std::move(rest));
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
