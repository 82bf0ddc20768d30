// The console's request rules: cookies (api/cookies.h), the cross-site rule
// (api/cross_site.h) and the choice of a precompressed encoding
// (http/accept_encoding.h).

#include <gtest/gtest.h>

#include "api/cookies.h"
#include "api/cross_site.h"
#include "http/accept_encoding.h"
#include "service/api_error.h"

namespace apiota {
namespace {

using http::AvailableCodings;
using http::choose_coding;
using http::ContentCoding;

TEST(Cookies, FindsANamedCookieAmongOthers) {
  EXPECT_EQ(api::cookie_value("apiota_session=abc", "apiota_session"), "abc");
  EXPECT_EQ(api::cookie_value("theme=dark; apiota_session=abc;lang=th", "apiota_session"), "abc");
  EXPECT_EQ(api::cookie_value("  apiota_session = \"abc\" ", "apiota_session"), "abc");
  EXPECT_EQ(api::cookie_value("apiota_session=; x=1", "apiota_session"), "");
  EXPECT_EQ(api::cookie_value("apiota_session=first; apiota_session=second", "apiota_session"), "first");
  EXPECT_FALSE(api::cookie_value("xapiota_session=abc; apiota_sessionx=1; junk", "apiota_session"));
  EXPECT_FALSE(api::cookie_value("", "apiota_session"));
}

TEST(Cookies, LooksInEveryCookieHeader) {
  api::Request req;
  req.headers = {{"cookie", "a=1"}, {"host", "x"}, {"cookie", "apiota_session=tok"}};
  EXPECT_EQ(api::request_cookie(req, "apiota_session"), "tok");
  EXPECT_EQ(api::request_cookie(req, "a"), "1");
  EXPECT_FALSE(api::request_cookie(req, "b"));
}

api::Request request(std::string method, std::vector<std::pair<std::string, std::string>> headers) {
  api::Request req;
  req.method = std::move(method);
  req.headers = std::move(headers);
  req.local_address = "127.0.0.1:8080";
  return req;
}

TEST(CrossSite, ReadsPassWithoutTheHeader) {
  EXPECT_FALSE(api::is_cross_site(request("GET", {{"host", "ota.example:8080"}}), ""));
  EXPECT_FALSE(api::is_cross_site(request("HEAD", {}), ""));
}

TEST(CrossSite, ChangesNeedTheConsoleHeader) {
  EXPECT_TRUE(api::is_cross_site(request("POST", {{"host", "ota.example"}}), ""));
  EXPECT_TRUE(api::is_cross_site(request("DELETE", {{"x-apiota-console", "yes"}}), ""));
  EXPECT_FALSE(api::is_cross_site(request("PUT", {{"host", "ota.example"}, {"x-apiota-console", "1"}}), ""));
}

TEST(CrossSite, AnOriginMustBeTheRequestsOwn) {
  const auto with_origin = [](std::string method, std::string origin) {
    return request(std::move(method), {{"host", "ota.example:8080"}, {"x-apiota-console", "1"}, {"origin", origin}});
  };
  EXPECT_FALSE(api::is_cross_site(with_origin("POST", "http://ota.example:8080"), ""));
  EXPECT_FALSE(api::is_cross_site(with_origin("POST", "HTTP://OTA.example:8080"), ""));
  EXPECT_TRUE(api::is_cross_site(with_origin("POST", "http://evil.example"), ""));
  EXPECT_TRUE(api::is_cross_site(with_origin("POST", "http://ota.example"), ""));
  EXPECT_TRUE(api::is_cross_site(with_origin("POST", "null"), ""));
  EXPECT_TRUE(api::is_cross_site(with_origin("GET", "http://evil.example"), ""));
  // Behind a TLS proxy: the public URL's origin.
  EXPECT_FALSE(api::is_cross_site(with_origin("POST", "https://ota.example"), "https://ota.example/base"));
  EXPECT_TRUE(api::is_cross_site(with_origin("POST", "https://evil.example"), "https://ota.example"));
}

TEST(CrossSite, RefusalIsForbidden) {
  try {
    api::refuse_cross_site(request("POST", {}), "");
    ADD_FAILURE() << "not refused";
  } catch (const service::ApiError& e) {
    EXPECT_EQ(e.code(), service::ErrorCode::Forbidden);
    EXPECT_STREQ(e.what(), "cross-site request refused");
  }
}

constexpr AvailableCodings kBoth{true, true};

TEST(AcceptEncoding, PrefersBrotliThenGzipAtEqualWeight) {
  EXPECT_EQ(choose_coding("gzip, deflate, br", kBoth), ContentCoding::Brotli);
  EXPECT_EQ(choose_coding("gzip, deflate", kBoth), ContentCoding::Gzip);
  EXPECT_EQ(choose_coding("gzip, br", AvailableCodings{true, false}), ContentCoding::Gzip);
  EXPECT_EQ(choose_coding("br", AvailableCodings{false, false}), ContentCoding::Identity);
  EXPECT_EQ(choose_coding(std::nullopt, kBoth), ContentCoding::Identity);
  EXPECT_EQ(choose_coding("", kBoth), ContentCoding::Identity);
}

TEST(AcceptEncoding, HonoursQValues) {
  EXPECT_EQ(choose_coding("br;q=0, gzip", kBoth), ContentCoding::Gzip);
  EXPECT_EQ(choose_coding("br;q=0.5, gzip;q=0.8", kBoth), ContentCoding::Gzip);
  EXPECT_EQ(choose_coding("BR ; Q=1.0 , gzip;q=0.999", kBoth), ContentCoding::Brotli);
  EXPECT_EQ(choose_coding("gzip;q=0, br;q=0", kBoth), ContentCoding::Identity);
  EXPECT_EQ(choose_coding("identity;q=1, gzip;q=0.5", kBoth), ContentCoding::Identity);
  EXPECT_EQ(choose_coding("gzip;q=abc", kBoth), ContentCoding::Identity);
  EXPECT_EQ(choose_coding("gzip;q=2", kBoth), ContentCoding::Identity);
}

TEST(AcceptEncoding, AStarCoversUnlistedCodings) {
  EXPECT_EQ(choose_coding("*", kBoth), ContentCoding::Brotli);
  EXPECT_EQ(choose_coding("br;q=0, *", kBoth), ContentCoding::Gzip);
  EXPECT_EQ(choose_coding("*;q=0", kBoth), ContentCoding::Identity);  // nothing acceptable: identity anyway
}

}  // namespace
}  // namespace apiota
