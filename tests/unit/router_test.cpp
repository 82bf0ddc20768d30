#include "http/router.h"

#include <gtest/gtest.h>

namespace apiota::http {
namespace {

api::Response respond(api::Context&, const api::Request&) { return {}; }

std::vector<std::string> segments(std::initializer_list<const char*> parts) { return {parts.begin(), parts.end()}; }

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router.add("GET", "/api/health", respond);
    router.add("POST", "/api/register", respond);
    router.add("GET", "/api/firmware/{filename}", respond);
    router.add("POST", "/api/firmware/upload", nullptr, RouteKind::FirmwareUpload);
    router.add("DELETE", "/api/admin/keys/{id}", respond);
    router.add("GET", "/api/admin/keys", respond);
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralRoutes) {
  auto m = router.match("GET", segments({"api", "health"}));
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::Found);
  EXPECT_TRUE(m.params.empty());
}

TEST_F(RouterTest, ExtractsPlaceholders) {
  auto m = router.match("GET", segments({"api", "firmware", "fw-1.0.0-stable.bin"}));
  ASSERT_EQ(m.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(m.params, segments({"fw-1.0.0-stable.bin"}));
}

TEST_F(RouterTest, HeadIsServedByGet) {
  EXPECT_EQ(router.match("HEAD", segments({"api", "health"})).outcome, RouteMatch::Outcome::Found);
}

TEST_F(RouterTest, LiteralWinsOverPlaceholderForItsMethod) {
  auto upload = router.match("POST", segments({"api", "firmware", "upload"}));
  ASSERT_EQ(upload.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(upload.kind, RouteKind::FirmwareUpload);
  auto download = router.match("GET", segments({"api", "firmware", "upload"}));
  ASSERT_EQ(download.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(download.kind, RouteKind::Plain);
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  auto m = router.match("PUT", segments({"api", "health"}));
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::MethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  auto keys = router.match("PATCH", segments({"api", "admin", "keys", "key_1"}));
  EXPECT_EQ(keys.outcome, RouteMatch::Outcome::MethodNotAllowed);
  EXPECT_EQ(keys.allow, "DELETE");
}

TEST_F(RouterTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(router.match("GET", segments({"api"})).outcome, RouteMatch::Outcome::NotFound);
  EXPECT_EQ(router.match("GET", segments({"api", "health", "x"})).outcome, RouteMatch::Outcome::NotFound);
  EXPECT_EQ(router.match("GET", segments({"api", "firmware", ""})).outcome, RouteMatch::Outcome::NotFound);
  EXPECT_EQ(router.match("GET", segments({"api", "firmware", "..", "..", "etc", "passwd"})).outcome,
            RouteMatch::Outcome::NotFound);
}

TEST(RouterCatchAll, MatchesTheRestOfThePathJoined) {
  Router router;
  router.add("GET", "/console/{path...}", respond);
  router.add("GET", "/api/health", respond);
  auto deep = router.match("GET", segments({"console", "devices", "esp32-1"}));
  ASSERT_EQ(deep.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(deep.params, segments({"devices/esp32-1"}));
  auto root = router.match("GET", segments({"console", ""}));
  ASSERT_EQ(root.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(root.params, segments({""}));
  auto bare = router.match("GET", segments({"console"}));
  ASSERT_EQ(bare.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(bare.params, segments({""}));
  auto trailing = router.match("GET", segments({"console", "assets", ""}));
  ASSERT_EQ(trailing.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(trailing.params, segments({"assets/"}));
  EXPECT_EQ(router.match("POST", segments({"console", "x"})).outcome, RouteMatch::Outcome::MethodNotAllowed);
  EXPECT_EQ(router.match("GET", segments({"consoles", "x"})).outcome, RouteMatch::Outcome::NotFound);
  EXPECT_EQ(router.match("GET", segments({"api", "health"})).outcome, RouteMatch::Outcome::Found);
}

TEST(ApiRouter, EveryContractEndpointIsRouted) {
  Router r = make_api_router();
  EXPECT_EQ(r.match("GET", segments({"api", "health"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("GET", segments({"api", "check-update"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("POST", segments({"api", "register"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("POST", segments({"api", "ota-log"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("GET", segments({"api", "config"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("HEAD", segments({"api", "firmware", "fw-1.bin"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("POST", segments({"api", "firmware", "upload"})).kind, RouteKind::FirmwareUpload);
}

TEST(ApiRouter, RoutesTheConsole) {
  Router r = make_api_router();
  EXPECT_EQ(r.match("GET", {}).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("GET", segments({"console", ""})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("GET", segments({"console", "assets", "app-1.js"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("POST", segments({"api", "console", "session"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("DELETE", segments({"api", "console", "session"})).outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(r.match("GET", segments({"api", "admin", "events"})).kind, RouteKind::EventStream);
  EXPECT_EQ(r.match("GET", segments({"favicon.ico"})).outcome, RouteMatch::Outcome::NotFound);
}

}  // namespace
}  // namespace apiota::http
