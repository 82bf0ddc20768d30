#include "http/console_site.h"

#include <string>

#include "api/console_headers.h"
#include "api/error_response.h"
#include "api/etag.h"
#include "http/accept_encoding.h"
#include "http/console_assets.h"

namespace apiota::http {
namespace {

constexpr std::string_view kIndex = "index.html";
constexpr std::string_view kAssetsPrefix = "assets/";

const ConsoleAsset* find_asset(std::string_view path) {
  for (const ConsoleAsset& asset : console_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

api::Response not_found(std::string_view message) {
  api::Response res = api::error_response(api::ErrorCode::NotFound, message);
  api::add_console_headers(res);
  return res;
}

api::Response file_response(const ConsoleAsset& asset, const api::Request& req) {
  const ContentCoding coding =
      choose_coding(req.header("accept-encoding"), {!asset.gzip.empty(), !asset.brotli.empty()});
  std::string_view bytes = asset.identity;
  // Built by appends: GCC 12 at -O3 misreads `"\"" + std::string(...)` as an
  // overflowing copy (-Wstringop-overflow, a false positive).
  std::string etag(1, '"');
  etag += asset.etag;
  api::Response res;
  if (coding == ContentCoding::Brotli) {
    bytes = asset.brotli;
    etag += "-br";
    res.headers.emplace_back("Content-Encoding", "br");
  } else if (coding == ContentCoding::Gzip) {
    bytes = asset.gzip;
    etag += "-gz";
    res.headers.emplace_back("Content-Encoding", "gzip");
  }
  etag += "\"";
  res.headers.emplace_back("Cache-Control", asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.headers.emplace_back("Vary", "Accept-Encoding");
  res.headers.emplace_back("ETag", etag);
  api::add_console_headers(res);
  const std::optional<std::string_view> if_none_match = req.header("if-none-match");
  if (if_none_match && api::if_none_match_matches(*if_none_match, etag)) {
    res.status = 304;
    return res;
  }
  res.content_type = std::string(asset.content_type);
  res.body = std::string(bytes);
  return res;
}

}  // namespace

api::Response console_redirect(api::Context&, const api::Request&) {
  api::Response res;
  res.status = 302;
  res.content_type = "text/plain; charset=utf-8";
  res.headers.emplace_back("Location", "/console/");
  api::add_console_headers(res);
  return res;
}

std::optional<api::Response> console_redirect_fast(api::Context& ctx, const api::Request& req) {
  return console_redirect(ctx, req);
}

api::Response console_page(api::Context&, const api::Request& req) {
  const std::string_view path = req.path_params.empty() ? std::string_view() : std::string_view(req.path_params[0]);
  if (path.starts_with(kAssetsPrefix)) {
    const ConsoleAsset* asset = find_asset(path);
    if (asset == nullptr) return not_found("no such console asset");
    return file_response(*asset, req);
  }
  const ConsoleAsset* index = find_asset(kIndex);
  if (index == nullptr) return not_found("the console was not built into this binary");
  return file_response(*index, req);
}

std::optional<api::Response> console_page_fast(api::Context& ctx, const api::Request& req) {
  return console_page(ctx, req);
}

}  // namespace apiota::http
