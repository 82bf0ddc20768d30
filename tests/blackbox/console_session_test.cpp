// The console's sessions against the real binary (docs/api.md, "Console";
// docs/security.md, "Console sessions"): sign-in exchanges an admin key for
// an HttpOnly, SameSite=Strict cookie; the cookie authenticates admin routes
// and uploads like a Bearer key, with the cross-site rule on changes; sign-out
// and revoking the key end the session on the server; wrong keys lock the
// address out of sign-in as they do of Bearer calls; Bearer is unaffected.
// (Expiry by time is covered by tests/unit/console_sessions_test.cpp on a
// fake clock.)

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

const std::string kWrongKey = "pk_live_" + std::string(32, 'x');

std::string key_body(const std::string& key) { return boost::json::serialize(boost::json::object{{"key", key}}); }

// "apiota_session=TOKEN" from a Set-Cookie value.
std::string cookie_pair(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

::testing::AssertionResult has_console_headers(const httplib::Result& res) {
  if (!res) return ::testing::AssertionFailure() << "no response";
  if (res->get_header_value("Content-Security-Policy").find("script-src 'self'") == std::string::npos ||
      res->get_header_value("X-Frame-Options") != "DENY" ||
      res->get_header_value("X-Content-Type-Options") != "nosniff" ||
      res->get_header_value("Referrer-Policy") != "no-referrer") {
    return ::testing::AssertionFailure() << "security headers missing on " << res->status << " " << res->body;
  }
  return ::testing::AssertionSuccess();
}

// GET /api/console/session without a live session: 200 {"signed_in": false},
// not cached, with the console's headers.
::testing::AssertionResult is_signed_out(const httplib::Result& res) {
  if (!res) return ::testing::AssertionFailure() << "no response";
  if (res->status != 200 || res->body != R"({"signed_in":false})" ||
      res->get_header_value("Cache-Control") != "no-store") {
    return ::testing::AssertionFailure() << "not signed out: " << res->status << " " << res->body;
  }
  return has_console_headers(res);
}

class ConsoleSession : public ::testing::Test {
 protected:
  ConsoleSession() : client_(server_.client()) {}

  httplib::Result sign_in(const std::string& key, httplib::Headers headers = {{"X-Apiota-Console", "1"}}) {
    return client_.Post("/api/console/session", headers, key_body(key), "application/json");
  }

  // The cookie pair of a fresh session of `key`.
  std::string session_of(const std::string& key) {
    auto res = sign_in(key);
    EXPECT_EQ(status_of(res), 201) << (res ? res->body : "no response");
    return res ? cookie_pair(res->get_header_value("Set-Cookie")) : "";
  }

  httplib::Headers console(const std::string& cookie) { return {{"Cookie", cookie}, {"X-Apiota-Console", "1"}}; }

  std::string origin() const { return server_.base_url(); }

  // An admin key made by the first one: {"id": ..., "key": ...}.
  boost::json::object new_admin_key() {
    auto res = client_.Post("/api/admin/keys", bearer(server_.admin_key()), R"({"role":"admin","label":"second"})",
                            "application/json");
    EXPECT_EQ(status_of(res), 201);
    return res ? json_of(res->body).as_object() : boost::json::object{};
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(ConsoleSession, SignInAnswersTheSessionAndSetsAStrictHttpOnlyCookie) {
  auto res = sign_in(server_.admin_key());
  ASSERT_EQ(status_of(res), 201) << (res ? res->body : "no response");
  auto body = json_of(res->body).as_object();
  EXPECT_TRUE(std::string(body.at("key_id").as_string()).starts_with("key_")) << body;
  EXPECT_EQ(body.at("project_id"), "default");
  EXPECT_TRUE(body.contains("label"));
  EXPECT_GT(parse_iso8601(std::string(body.at("expires_at").as_string())), 0);
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("apiota_session=")) << cookie;
  EXPECT_EQ(cookie_pair(cookie).size(), std::string("apiota_session=").size() + 43) << cookie;
  for (const char* flag : {"; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=43200"}) {
    EXPECT_NE(cookie.find(flag), std::string::npos) << flag << " missing: " << cookie;
  }
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "http:// public URL: " << cookie;
  EXPECT_TRUE(has_console_headers(res));

  auto info = client_.Get("/api/console/session", {{"Cookie", cookie_pair(cookie)}});
  ASSERT_EQ(status_of(info), 200);
  EXPECT_EQ(json_of(info->body).at("signed_in"), true);
  EXPECT_EQ(json_of(info->body).at("key_id"), body.at("key_id"));
  EXPECT_TRUE(has_console_headers(info));
}

TEST(ConsoleSessionTls, TheCookieIsSecureBehindAnHttpsPublicUrl) {
  ServerSetup setup;
  setup.public_url = false;
  setup.extra_args.insert(setup.extra_args.end(), {"--public-url", "https://ota.example"});
  ServerProcess server(setup);
  auto client = server.client();
  auto res = client.Post("/api/console/session", {{"X-Apiota-Console", "1"}}, key_body(server.admin_key()),
                         "application/json");
  ASSERT_EQ(status_of(res), 201) << (res ? res->body : "no response");
  EXPECT_NE(res->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(ConsoleSession, SignInRefusals) {
  EXPECT_TRUE(is_error(sign_in(kWrongKey), 401, "UNAUTHORIZED"));
  auto provision = client_.Post("/api/admin/keys", bearer(server_.admin_key()), R"({"role":"provision"})",
                                "application/json");
  ASSERT_EQ(status_of(provision), 201);
  auto forbidden = sign_in(std::string(json_of(provision->body).at("key").as_string()));
  EXPECT_TRUE(is_error(forbidden, 403, "FORBIDDEN"));
  EXPECT_TRUE(has_console_headers(forbidden));
  EXPECT_TRUE(is_error(client_.Post("/api/console/session", {{"X-Apiota-Console", "1"}}, "{}", "application/json"),
                       400, "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(client_.Post("/api/console/session", {{"X-Apiota-Console", "1"}}, "{", "application/json"),
                       400, "INVALID_JSON"));
  EXPECT_TRUE(is_error(sign_in(server_.admin_key(), {}), 403, "FORBIDDEN"));
  EXPECT_TRUE(is_error(sign_in(server_.admin_key(), {{"X-Apiota-Console", "1"}, {"Origin", "http://evil.example"}}),
                       403, "FORBIDDEN"));
}

TEST_F(ConsoleSession, WrongKeysLockTheAddressOutOfSignIn) {
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(is_error(sign_in(kWrongKey), 401, "UNAUTHORIZED")) << i;
  auto locked = sign_in(server_.admin_key());
  EXPECT_TRUE(is_error(locked, 429, "RATE_LIMITED"));
  ASSERT_TRUE(locked);
  EXPECT_FALSE(locked->get_header_value("Retry-After").empty());
  // The same lock-out as Bearer calls: they are refused too.
  EXPECT_TRUE(is_error(client_.Get("/api/admin/project", bearer(server_.admin_key())), 429, "RATE_LIMITED"));
}

TEST_F(ConsoleSession, TheCookieAuthenticatesAdminRoutesAsTheKeysOperator) {
  const std::string cookie = session_of(server_.admin_key());
  auto project = client_.Get("/api/admin/project", {{"Cookie", cookie}});
  ASSERT_EQ(status_of(project), 200) << (project ? project->body : "no response");
  ASSERT_EQ(register_device(client_, "cookie-dev", "cookie-secret-0123456", server_.admin_key()), 200);

  auto blocked = client_.Post("/api/admin/devices/cookie-dev/block", console(cookie), R"({"reason":"test"})",
                              "application/json");
  ASSERT_EQ(status_of(blocked), 200) << (blocked ? blocked->body : "no response");
  auto same_origin = client_.Post("/api/admin/devices/cookie-dev/unblock",
                                  {{"Cookie", cookie}, {"X-Apiota-Console", "1"}, {"Origin", origin()}}, "{}",
                                  "application/json");
  ASSERT_EQ(status_of(same_origin), 200) << (same_origin ? same_origin->body : "no response");

  auto session = client_.Get("/api/console/session", {{"Cookie", cookie}});
  const auto key_id = json_of(session->body).at("key_id");
  const auto audit = admin_get(server_, "/api/admin/audit");
  ASSERT_FALSE(audit.at("audit").as_array().empty()) << audit;
  EXPECT_EQ(audit.at("audit").as_array().front().at("actor"), key_id) << audit;
}

TEST_F(ConsoleSession, CookieChangesWithoutTheHeaderOrFromAnotherOriginAreRefused) {
  ASSERT_EQ(register_device(client_, "csrf-dev", "csrf-secret-01234567", server_.admin_key()), 200);
  const std::string cookie = session_of(server_.admin_key());
  auto no_header = client_.Post("/api/admin/devices/csrf-dev/block", {{"Cookie", cookie}}, "{}", "application/json");
  EXPECT_TRUE(is_error(no_header, 403, "FORBIDDEN"));
  ASSERT_TRUE(no_header);
  EXPECT_NE(no_header->body.find("cross-site request refused"), std::string::npos) << no_header->body;
  auto foreign = client_.Post("/api/admin/devices/csrf-dev/block",
                              {{"Cookie", cookie}, {"X-Apiota-Console", "1"}, {"Origin", "http://evil.example"}}, "{}",
                              "application/json");
  EXPECT_TRUE(is_error(foreign, 403, "FORBIDDEN"));
  auto foreign_read = client_.Get("/api/admin/devices/csrf-dev", {{"Cookie", cookie}, {"Origin", "http://evil.example"}});
  EXPECT_TRUE(is_error(foreign_read, 403, "FORBIDDEN"));
  EXPECT_EQ(admin_get(server_, "/api/admin/devices/csrf-dev").at("blocked"), false);
  auto upload = client_.Post("/api/firmware/upload", {{"Cookie", cookie}},
                             httplib::MultipartFormDataItems{{"version", "1.0.0", "", ""}});
  EXPECT_TRUE(is_error(upload, 403, "FORBIDDEN"));
}

TEST_F(ConsoleSession, TheCookieUploadsFirmware) {
  const std::string cookie = session_of(server_.admin_key());
  EspImageSpec spec;
  spec.version = "2.0.0";
  spec.payload_bytes = 2048;
  const auto image = build_esp_app_image(spec);
  httplib::MultipartFormDataItems items = {
      {"file", std::string(image.begin(), image.end()), "firmware.bin", "application/octet-stream"},
      {"version", "2.0.0", "", ""},
  };
  auto res = client_.Post("/api/firmware/upload", console(cookie), items);
  ASSERT_EQ(status_of(res), 200) << (res ? res->body : "no response");
  EXPECT_EQ(json_of(res->body).at("version"), "2.0.0");
}

TEST_F(ConsoleSession, BearerWinsOverTheCookieAndNeedsNoConsoleHeader) {
  const std::string cookie = session_of(server_.admin_key());
  httplib::Headers wrong_bearer = bearer(kWrongKey);
  wrong_bearer.emplace("Cookie", cookie);
  EXPECT_TRUE(is_error(client_.Get("/api/admin/project", wrong_bearer), 401, "UNAUTHORIZED"));
  ASSERT_EQ(register_device(client_, "bearer-dev", "bearer-secret-0123456", server_.admin_key()), 200);
  httplib::Headers both = bearer(server_.admin_key());
  both.emplace("Cookie", cookie);
  auto blocked = client_.Post("/api/admin/devices/bearer-dev/block", both, "{}", "application/json");
  EXPECT_EQ(status_of(blocked), 200) << (blocked ? blocked->body : "no response");
}

TEST_F(ConsoleSession, SignOutEndsTheSessionOnTheServer) {
  const std::string cookie = session_of(server_.admin_key());
  EXPECT_TRUE(is_error(client_.Delete("/api/console/session", {{"Cookie", cookie}}), 403, "FORBIDDEN"));
  auto out = client_.Delete("/api/console/session", console(cookie));
  ASSERT_EQ(status_of(out), 200) << (out ? out->body : "no response");
  EXPECT_EQ(json_of(out->body).at("success"), true);
  const std::string cleared = out->get_header_value("Set-Cookie");
  EXPECT_TRUE(cleared.starts_with("apiota_session=;")) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
  EXPECT_TRUE(is_signed_out(client_.Get("/api/console/session", {{"Cookie", cookie}})));
  EXPECT_TRUE(is_error(client_.Get("/api/admin/project", {{"Cookie", cookie}}), 401, "UNAUTHORIZED"));
  EXPECT_TRUE(is_signed_out(client_.Get("/api/console/session")));
}

TEST_F(ConsoleSession, RevokingTheKeyEndsItsSessions) {
  const auto second = new_admin_key();
  const std::string cookie = session_of(std::string(second.at("key").as_string()));
  ASSERT_EQ(status_of(client_.Get("/api/admin/project", {{"Cookie", cookie}})), 200);
  auto revoked = client_.Delete("/api/admin/keys/" + std::string(second.at("id").as_string()),
                                bearer(server_.admin_key()));
  ASSERT_EQ(status_of(revoked), 200) << (revoked ? revoked->body : "no response");
  EXPECT_TRUE(is_error(client_.Get("/api/admin/project", {{"Cookie", cookie}}), 401, "UNAUTHORIZED"));
  EXPECT_TRUE(is_signed_out(client_.Get("/api/console/session", {{"Cookie", cookie}})));
}

TEST_F(ConsoleSession, ForgedOrOddCookiesAreUnauthorized) {
  EXPECT_TRUE(is_error(client_.Get("/api/admin/project", {{"Cookie", "apiota_session=" + std::string(43, 'A')}}), 401,
                       "UNAUTHORIZED"));
  EXPECT_TRUE(is_error(client_.Get("/api/admin/project", {{"Cookie", "apiota_session=x; other=1"}}), 401,
                       "UNAUTHORIZED"));
  EXPECT_TRUE(is_signed_out(client_.Get("/api/console/session", {{"Cookie", "apiota_session=" + std::string(43, 'A')}})));
  // Without any credential the answer is as before.
  EXPECT_TRUE(is_error(client_.Get("/api/admin/project", {{"Cookie", "theme=dark"}}), 401, "UNAUTHORIZED"));
}

}  // namespace
}  // namespace apiota::testing
