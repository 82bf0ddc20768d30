#include "domain/config_merge.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace apiota::domain;

namespace {

boost::json::object obj(std::string_view json) { return boost::json::parse(json).as_object(); }

struct MergeCase {
  const char* description;
  const char* project_default;
  const char* device;
  const char* expected;
};

TEST(MergeConfig, TableOfCases) {
  const std::vector<MergeCase> cases = {
      {"both empty", "{}", "{}", "{}"},
      {"default only", R"({"interval":5000})", "{}", R"({"interval":5000})"},
      {"device only", "{}", R"({"interval":1000})", R"({"interval":1000})"},
      {"device overrides scalar", R"({"interval":5000,"log_level":"info"})", R"({"interval":1000})",
       R"({"interval":1000,"log_level":"info"})"},
      {"disjoint keys are unioned", R"({"a":1})", R"({"b":2})", R"({"a":1,"b":2})"},
      {"nested objects merge", R"({"wifi":{"ssid":"x","retries":3},"x":1})", R"({"wifi":{"retries":5}})",
       R"({"wifi":{"ssid":"x","retries":5},"x":1})"},
      {"deeply nested objects merge", R"({"a":{"b":{"c":1,"d":2}}})", R"({"a":{"b":{"d":3,"e":4}}})",
       R"({"a":{"b":{"c":1,"d":3,"e":4}}})"},
      {"arrays are replaced whole", R"({"servers":["a","b","c"]})", R"({"servers":["z"]})",
       R"({"servers":["z"]})"},
      {"object replaced by scalar", R"({"wifi":{"ssid":"x"}})", R"({"wifi":false})", R"({"wifi":false})"},
      {"scalar replaced by object", R"({"wifi":"off"})", R"({"wifi":{"ssid":"y"}})", R"({"wifi":{"ssid":"y"}})"},
      {"null overrides", R"({"log_level":"info"})", R"({"log_level":null})", R"({"log_level":null})"},
      {"array of objects not merged", R"({"l":[{"a":1}]})", R"({"l":[{"b":2}]})", R"({"l":[{"b":2}]})"},
      {"object replaced by array", R"({"o":{"a":1}})", R"({"o":[1]})", R"({"o":[1]})"},
      {"type change of number", R"({"n":1})", R"({"n":1.5})", R"({"n":1.5})"},
  };
  for (const MergeCase& c : cases) {
    SCOPED_TRACE(c.description);
    const boost::json::object merged = merge_config(obj(c.project_default), obj(c.device));
    EXPECT_EQ(merged, obj(c.expected)) << boost::json::serialize(merged);
  }
}

TEST(MergeConfig, KeepsDefaultKeyOrderThenAppendsDeviceKeys) {
  const boost::json::object merged =
      merge_config(obj(R"({"z":1,"a":2,"m":3})"), obj(R"({"q":9,"a":7,"b":8})"));
  EXPECT_EQ(boost::json::serialize(merged), R"({"z":1,"a":7,"m":3,"q":9,"b":8})");
}

TEST(MergeConfig, DoesNotModifyInputs) {
  const boost::json::object project_default = obj(R"({"wifi":{"ssid":"x","retries":3},"l":[1,2]})");
  const boost::json::object device = obj(R"({"wifi":{"retries":5,"new":true},"l":[3]})");
  const boost::json::object default_copy = project_default;
  const boost::json::object device_copy = device;
  (void)merge_config(project_default, device);
  EXPECT_EQ(project_default, default_copy);
  EXPECT_EQ(device, device_copy);
}

TEST(MergeConfig, ResultOutlivesInputsAndUsesDefaultResource) {
  boost::json::object merged;
  {
    boost::json::monotonic_resource arena;
    const boost::json::value project_default =
        boost::json::parse(R"({"a":{"b":"x"},"s":"long string value here"})", &arena);
    const boost::json::value device = boost::json::parse(R"({"a":{"c":"y"}})", &arena);
    ASSERT_TRUE(project_default.storage().get() != boost::json::storage_ptr().get());
    boost::json::object result = merge_config(project_default.as_object(), device.as_object());
    EXPECT_TRUE(result.storage().get() == boost::json::storage_ptr().get());
    EXPECT_TRUE(result.at("a").storage().get() == boost::json::storage_ptr().get());
    merged = std::move(result);
  }
  EXPECT_EQ(merged, obj(R"({"a":{"b":"x","c":"y"},"s":"long string value here"})"));
}

}  // namespace
