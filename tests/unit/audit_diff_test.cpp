#include "service/audit_diff.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace apiota::service {
namespace {

boost::json::value json(const char* text) { return boost::json::parse(text); }

TEST(AuditDiff, KeepsOnlyTheFieldsThatChanged) {
  auto diff = audit_diff(json(R"({"id":"d","channel":"stable","blocked":false})"),
                         json(R"({"id":"d","channel":"beta","blocked":false})"));
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->before, json(R"({"channel":"stable"})"));
  EXPECT_EQ(diff->after, json(R"({"channel":"beta"})"));
}

TEST(AuditDiff, ComparesNestedObjectsFieldByField) {
  auto diff = audit_diff(json(R"({"plan":{"max_devices":100,"device_burst":20}})"),
                         json(R"({"plan":{"max_devices":500,"device_burst":20}})"));
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->before, json(R"({"plan":{"max_devices":100}})"));
  EXPECT_EQ(diff->after, json(R"({"plan":{"max_devices":500}})"));
}

TEST(AuditDiff, FieldsOnOneSideOnlyStayOnThatSide) {
  auto diff = audit_diff(json(R"({"a":1,"gone":2})"), json(R"({"a":1,"new":3})"));
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->before, json(R"({"gone":2})"));
  EXPECT_EQ(diff->after, json(R"({"new":3})"));
}

TEST(AuditDiff, CreationDeletionAndArraysAreKeptWhole) {
  auto created = audit_diff(nullptr, json(R"({"id":"k"})"));
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->before.is_null());
  EXPECT_EQ(created->after, json(R"({"id":"k"})"));
  auto tags = audit_diff(json(R"(["a","b"])"), json(R"(["b"])"));
  ASSERT_TRUE(tags);
  EXPECT_EQ(tags->before, json(R"(["a","b"])"));
  EXPECT_EQ(tags->after, json(R"(["b"])"));
}

TEST(AuditDiff, NothingChangedIsNoDiff) {
  EXPECT_FALSE(audit_diff(json(R"({"a":{"b":[1,2]}})"), json(R"({"a":{"b":[1,2]}})")));
  EXPECT_FALSE(audit_diff(nullptr, nullptr));
  EXPECT_FALSE(audit_diff(json("[]"), json("[]")));
}

}  // namespace
}  // namespace apiota::service
