#include "service/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <limits>

namespace apiota::service {
namespace {

TEST(PlainNumber, FixedNotationWithTheFewestDigits) {
  EXPECT_EQ(plain_number(30), "30");
  EXPECT_EQ(plain_number(100), "100");
  EXPECT_EQ(plain_number(0.2), "0.2");
  EXPECT_EQ(plain_number(10.55), "10.55");
  EXPECT_EQ(plain_number(0.05), "0.05");
  EXPECT_EQ(plain_number(1e-7), "0.0000001");
  EXPECT_EQ(plain_number(1e21), "1000000000000000000000");
  EXPECT_EQ(plain_number(-2.5), "-2.5");
  EXPECT_EQ(plain_number(-0.0), "0");
  EXPECT_EQ(plain_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(plain_number(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(plain_number(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(plain_number(std::numeric_limits<double>::max()).size(), 309u);
  EXPECT_EQ(plain_number(std::numeric_limits<double>::denorm_min()).substr(0, 5), "0.000");
}

TEST(ToJsonText, SerializesLikeBoostButWithPlainDoubles) {
  const boost::json::value value = boost::json::parse(
      R"({"plan":{"rpm":30.0,"burst":2.5,"max":100000},"rate":0.2,"list":[1E2,-3,true,null,"a\"b\n"],"e":{}})");
  EXPECT_EQ(to_json_text(value),
            R"({"plan":{"rpm":30,"burst":2.5,"max":100000},"rate":0.2,"list":[100,-3,true,null,"a\"b\n"],"e":{}})");
  EXPECT_EQ(to_json_text(boost::json::array{}), "[]");
  // Whole doubles read back as integers; everything else as it was.
  const boost::json::value back = boost::json::parse(to_json_text(value));
  EXPECT_EQ(back.at("plan").at("rpm"), 30);
  EXPECT_EQ(back.at("rate"), 0.2);
  EXPECT_EQ(back.at("list").at(4), "a\"b\n");
}

}  // namespace
}  // namespace apiota::service
