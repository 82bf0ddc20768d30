// The mapping of exceptions thrown by API work to answers
// (http/worker_call.h): what a client sees when the store fails.

#include "http/worker_call.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "store/store_error.h"

namespace apiota::http {
namespace {

std::string header_of(const api::Response& res, std::string_view name) {
  for (const auto& [key, value] : res.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(WorkerCall, AStoreThatCannotBeReachedIsA503WithRetryAfterAndNoDetails) {
  const api::Response res = response_for_exception(std::make_exception_ptr(
      store::StoreUnavailable("cannot connect to PostgreSQL: connection to server on socket \"/run/x\" failed")));
  EXPECT_EQ(res.status, 503u);
  EXPECT_EQ(header_of(res, "Retry-After"), "5");
  const auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("error"), "SERVICE_UNAVAILABLE");
  EXPECT_EQ(res.body.find("socket"), std::string::npos) << res.body;
}

TEST(WorkerCall, AFullStoreIs507AndOtherStoreFailuresAre500) {
  EXPECT_EQ(response_for_exception(std::make_exception_ptr(store::StoreFull("disk full"))).status, 507u);
  const api::Response other = response_for_exception(std::make_exception_ptr(store::StoreError("constraint x")));
  EXPECT_EQ(other.status, 500u);
  EXPECT_EQ(other.body.find("constraint"), std::string::npos) << other.body;
  EXPECT_TRUE(header_of(other, "Retry-After").empty());
}

}  // namespace
}  // namespace apiota::http
