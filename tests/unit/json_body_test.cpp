// parse_json_object(): one JSON object, every number in it finite.

#include "api/json_body.h"

#include <gtest/gtest.h>

#include <string>

#include "api/error_response.h"

namespace apiota::api {
namespace {

ErrorCode code_of(const std::string& body) {
  try {
    parse_json_object(body);
  } catch (const ApiError& e) {
    return e.code();
  }
  ADD_FAILURE() << "accepted: " << body;
  return ErrorCode::InternalError;
}

TEST(ParseJsonObject, AcceptsAnObjectWithLargeButFiniteNumbers) {
  auto object = parse_json_object(R"({"a":1.7976931348623157e308,"b":-4.9e-324,"c":[1e308,{"d":18446744073709551615}]})");
  EXPECT_DOUBLE_EQ(object.at("a").as_double(), 1.7976931348623157e308);
  EXPECT_EQ(object.at("c").as_array().at(1).as_object().at("d").as_uint64(), 18446744073709551615ULL);
}

TEST(ParseJsonObject, RefusesNumbersThatOverflowADouble) {
  for (const char* body : {R"({"a":1e999})", R"({"a":1E400})", R"({"a":-1e309})", R"({"a":1.7976931348623159e308})",
                           R"({"a":{"b":{"c":[0,1e999]}}})", R"({"a":[[[-1e400]]]})"}) {
    EXPECT_EQ(code_of(body), ErrorCode::InvalidJson) << body;
  }
}

TEST(ParseJsonObject, UnderflowToZeroIsFine) {
  EXPECT_EQ(parse_json_object(R"({"a":1e-999})").at("a").as_double(), 0.0);
}

TEST(ParseJsonObject, RefusesWhatIsNotOneObject) {
  EXPECT_EQ(code_of("[]"), ErrorCode::InvalidJson);
  EXPECT_EQ(code_of("{"), ErrorCode::InvalidJson);
  EXPECT_EQ(code_of("NaN"), ErrorCode::InvalidJson);
  EXPECT_EQ(code_of(R"({"a":Infinity})"), ErrorCode::InvalidJson);
}

}  // namespace
}  // namespace apiota::api
