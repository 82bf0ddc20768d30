// The embedded web console against the real binary (docs/api.md, "Console"):
// / redirects to /console/, every console path but assets/ is index.html
// (no-cache), assets are content-hashed, cached for a year and sent
// precompressed by Accept-Encoding with an ETag per encoding, unknown assets
// are a JSON 404, and every answer carries the security headers. Raw
// connections show the bytes exactly as sent (no client-side decoding).

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

::testing::AssertionResult has_console_headers(const RawResponse& r) {
  if (r.header("Content-Security-Policy") !=
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'" ||
      r.header("X-Frame-Options") != "DENY" || r.header("X-Content-Type-Options") != "nosniff" ||
      r.header("Referrer-Policy") != "no-referrer") {
    return ::testing::AssertionFailure() << "security headers missing: " << r.status_line;
  }
  return ::testing::AssertionSuccess();
}

class ConsoleAssets : public ::testing::Test {
 protected:
  RawResponse get(const std::string& target, const std::string& extra_headers = "", const std::string& method = "GET") {
    RawConnection conn(server_.port());
    conn.send_all(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n");
    RawResponse r;
    EXPECT_TRUE(conn.read_response(r, method == "HEAD")) << target << ": " << conn.pending_answer();
    return r;
  }

  // The first script the index page loads, e.g. "/console/assets/app-0123abcd.js".
  std::string script_path() {
    const RawResponse index = get("/console/");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(index.body, m, std::regex(R"re(/console/assets/[A-Za-z0-9._-]+\.js)re")))
        << index.body;
    return m.empty() ? "/console/assets/missing.js" : m.str();
  }

  ServerProcess server_;
};

TEST_F(ConsoleAssets, TheFirstStartSaysWhereToOpenTheConsole) {
  const std::string log = server_.log();
  const auto key_line = log.find("admin key: ");
  const auto open_line = log.find("Open the web console at http://127.0.0.1:" + std::to_string(server_.port()) +
                                  "/console/ and sign in with it.");
  ASSERT_NE(key_line, std::string::npos) << log;
  ASSERT_NE(open_line, std::string::npos) << log;
  EXPECT_LT(key_line, open_line);
}

TEST_F(ConsoleAssets, TheRootRedirectsToTheConsole) {
  const RawResponse r = get("/");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.header("Location"), "/console/");
}

TEST_F(ConsoleAssets, ConsolePathsServeTheIndexPageUncached) {
  const RawResponse index = get("/console/");
  ASSERT_EQ(index.status, 200) << index.body;
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("Cache-Control"), "no-cache");
  EXPECT_TRUE(has_console_headers(index));
  EXPECT_NE(index.body.find("/console/assets/"), std::string::npos);
  EXPECT_EQ(index.body.find("<script>"), std::string::npos) << "no inline script";
  for (const char* path : {"/console/devices/esp32-1", "/console/releases/7", "/console/signin", "/console"}) {
    const RawResponse page = get(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body, index.body) << path;
    EXPECT_EQ(page.header("Cache-Control"), "no-cache") << path;
  }
  const RawResponse head = get("/console/", "", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(index.body.size()));
}

TEST_F(ConsoleAssets, AssetsAreImmutableAndPrecompressedByAcceptEncoding) {
  const std::string path = script_path();
  const RawResponse identity = get(path);
  ASSERT_EQ(identity.status, 200) << path;
  EXPECT_EQ(identity.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(identity.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(identity.header("Vary"), "Accept-Encoding");
  EXPECT_FALSE(identity.has_header("Content-Encoding"));
  EXPECT_FALSE(identity.header("ETag").empty());
  EXPECT_TRUE(has_console_headers(identity));

  const RawResponse gzip = get(path, "Accept-Encoding: gzip, deflate\r\n");
  EXPECT_EQ(gzip.header("Content-Encoding"), "gzip");
  ASSERT_GE(gzip.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gzip.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gzip.body[1]), 0x8b);
  EXPECT_LT(gzip.body.size(), identity.body.size());

  const RawResponse brotli = get(path, "Accept-Encoding: gzip, deflate, br\r\n");
  EXPECT_EQ(brotli.header("Content-Encoding"), "br");
  EXPECT_LT(brotli.body.size(), identity.body.size());
  EXPECT_EQ(brotli.header("Vary"), "Accept-Encoding");

  EXPECT_EQ(get(path, "Accept-Encoding: br;q=0, gzip\r\n").header("Content-Encoding"), "gzip");
  EXPECT_FALSE(get(path, "Accept-Encoding: gzip;q=0, br;q=0\r\n").has_header("Content-Encoding"));

  const std::string etags[] = {identity.header("ETag"), gzip.header("ETag"), brotli.header("ETag")};
  EXPECT_NE(etags[0], etags[1]);
  EXPECT_NE(etags[1], etags[2]);
  const RawResponse unchanged = get(path, "Accept-Encoding: br\r\nIf-None-Match: " + etags[2] + "\r\n");
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
}

TEST_F(ConsoleAssets, AnUnknownAssetIsAJsonNotFound) {
  for (const char* path : {"/console/assets/nope-0000.js", "/console/assets/", "/console/assets/../index.html"}) {
    const RawResponse r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.header("Content-Type"), "application/json") << path;
    EXPECT_NE(r.body.find("NOT_FOUND"), std::string::npos) << path << ": " << r.body;
    EXPECT_TRUE(has_console_headers(r)) << path;
  }
}

TEST_F(ConsoleAssets, OtherPathsAreStillNotFound) {
  EXPECT_EQ(get("/favicon.ico").status, 404);
  EXPECT_EQ(get("/consoles/").status, 404);
  EXPECT_EQ(get("/api/nothing").status, 404);
}

}  // namespace
}  // namespace apiota::testing
