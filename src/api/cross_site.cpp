#include "api/cross_site.h"

#include <boost/url/parse.hpp>

#include <cctype>
#include <string>

#include "api/request_origin.h"
#include "service/api_error.h"

namespace apiota::api {
namespace {

// "scheme://host[:port]" of an absolute URL, lowercased scheme and host;
// empty when it is not one.
std::string origin_of(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority()) return {};
  std::string origin = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host_and_port());
  for (char& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return origin;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool same_origin(const Request& req, std::string_view origin, std::string_view public_url) {
  const std::string presented = lowercase(origin);
  if (!public_url.empty() && presented == origin_of(public_url)) return true;
  return presented == lowercase(request_origin(req));
}

}  // namespace

bool is_cross_site(const Request& req, std::string_view public_url) {
  if (req.method != "GET" && req.method != "HEAD") {
    const std::optional<std::string_view> marker = req.header(kConsoleHeader);
    if (!marker || *marker != "1") return true;
  }
  const std::optional<std::string_view> origin = req.header("origin");
  return origin && !same_origin(req, *origin, public_url);
}

void refuse_cross_site(const Request& req, std::string_view public_url) {
  if (is_cross_site(req, public_url)) {
    throw service::ApiError(service::ErrorCode::Forbidden, std::string(kCrossSiteRefusal));
  }
}

}  // namespace apiota::api
