#include "domain/semver.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace apiota::domain;

namespace {

SemVer must_parse(std::string_view text) {
  const std::optional<SemVer> v = parse_semver(text);
  EXPECT_TRUE(v.has_value()) << "failed to parse '" << text << "'";
  return v.value_or(SemVer{});
}

struct ParseCase {
  std::string input;
  std::uint64_t major, minor, patch;
  std::vector<std::string> prerelease;
  std::string build;
  std::string normalized;
};

TEST(SemVerParse, AcceptsValidVersions) {
  const std::vector<ParseCase> cases = {
      {"0.0.0", 0, 0, 0, {}, "", "0.0.0"},
      {"1.2.3", 1, 2, 3, {}, "", "1.2.3"},
      {"10.20.30", 10, 20, 30, {}, "", "10.20.30"},
      {"v1.2.3", 1, 2, 3, {}, "", "1.2.3"},
      {"V1.2.3", 1, 2, 3, {}, "", "1.2.3"},
      {"1.1.0-beta.1", 1, 1, 0, {"beta", "1"}, "", "1.1.0-beta.1"},
      {"1.2.3-beta.1+b5", 1, 2, 3, {"beta", "1"}, "b5", "1.2.3-beta.1+b5"},
      {"1.0.0+20130313144700", 1, 0, 0, {}, "20130313144700", "1.0.0+20130313144700"},
      {"1.0.0+exp.sha.5114f85", 1, 0, 0, {}, "exp.sha.5114f85", "1.0.0+exp.sha.5114f85"},
      {"1.0.0+001", 1, 0, 0, {}, "001", "1.0.0+001"},
      {"1.0.0-0", 1, 0, 0, {"0"}, "", "1.0.0-0"},
      {"1.0.0-x-y-z.--", 1, 0, 0, {"x-y-z", "--"}, "", "1.0.0-x-y-z.--"},
      {"1.0.0-0A.is.legal", 1, 0, 0, {"0A", "is", "legal"}, "", "1.0.0-0A.is.legal"},
      {"1.0.0-rc.1+build.1", 1, 0, 0, {"rc", "1"}, "build.1", "1.0.0-rc.1+build.1"},
      {"18446744073709551615.0.0", 18446744073709551615ULL, 0, 0, {}, "", "18446744073709551615.0.0"},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.input);
    const std::optional<SemVer> v = parse_semver(c.input);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->major, c.major);
    EXPECT_EQ(v->minor, c.minor);
    EXPECT_EQ(v->patch, c.patch);
    EXPECT_EQ(v->prerelease, c.prerelease);
    EXPECT_EQ(v->build, c.build);
    EXPECT_EQ(v->to_string(), c.normalized);
  }
}

TEST(SemVerParse, RejectsInvalidVersions) {
  const std::vector<std::string> cases = {
      "",
      "v",
      "vv1.2.3",
      "1",
      "1.2",
      "1.2.3.4",
      "01.2.3",
      "1.02.3",
      "1.2.03",
      "1.2.3-",
      "1.2.3+",
      "1.2.3-+b",
      "1.2.3-01",
      "1.2.3-beta.01",
      "1.2.3-beta..1",
      "1.2.3-beta.",
      "1.2.3+b..5",
      "1.2.3+b+5",
      "1.2.3-be_ta",
      "1.2.3+b@5",
      "a.b.c",
      "1.2.c",
      "1..3",
      ".1.2.3",
      "1.2.3.",
      "-1.2.3",
      "+1.2.3",
      "1.-2.3",
      " 1.2.3",
      "1.2.3 ",
      "1.2.3\n",
      "1. 2.3",
      "18446744073709551616.0.0",
      "1.99999999999999999999.0",
      "1.0.0-" + std::string(59, 'a'),
      std::string("1.2.3\0", 6),
  };
  for (const std::string& input : cases) {
    EXPECT_FALSE(parse_semver(input).has_value()) << "accepted '" << input << "'";
  }
}

TEST(SemVerParse, EnforcesMaximumLength) {
  const std::string at_limit = "1.0.0-" + std::string(kMaxSemVerLength - 6, 'a');
  ASSERT_EQ(at_limit.size(), kMaxSemVerLength);
  EXPECT_TRUE(parse_semver(at_limit).has_value());
  EXPECT_FALSE(parse_semver(at_limit + "a").has_value());
  EXPECT_FALSE(parse_semver("v" + at_limit).has_value());
}

TEST(SemVerParse, NormalizedFormRoundTrips) {
  for (const char* text : {"v2.0.0-rc.1+sha.abc", "0.1.0", "3.4.5-alpha-1.x.7+0.0"}) {
    const SemVer v = must_parse(text);
    const std::optional<SemVer> again = parse_semver(v.to_string());
    ASSERT_TRUE(again.has_value()) << text;
    EXPECT_EQ(*again, v);
  }
}

struct LenientCase {
  std::string input;
  std::string normalized;
};

TEST(SemVerReported, AcceptsLenientForms) {
  const std::vector<LenientCase> cases = {
      {"1", "1.0.0"},
      {"1.2", "1.2.0"},
      {"1.2.3", "1.2.3"},
      {"v1", "1.0.0"},
      {"V1.2", "1.2.0"},
      {"  1.0.9  ", "1.0.9"},
      {"\t1.2.3\r\n", "1.2.3"},
      {"1.2-beta.1", "1.2.0-beta.1"},
      {"2+b7", "2.0.0+b7"},
      {" v1.0.0-rc.1+x ", "1.0.0-rc.1+x"},
  };
  for (const LenientCase& c : cases) {
    SCOPED_TRACE(c.input);
    const std::optional<SemVer> v = parse_reported_version(c.input);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->to_string(), c.normalized);
  }
}

TEST(SemVerReported, RejectsMalformedInput) {
  for (const char* input : {"", "   ", "v", "1.", "1..2", "1.2.3.4", "01", "1.02", "abc", "1.2.3-01", "1 .2",
                            "1.2.3-", "18446744073709551616"}) {
    EXPECT_FALSE(parse_reported_version(input).has_value()) << "accepted '" << input << "'";
  }
}

TEST(SemVerCompare, SemverOrgPrecedenceChain) {
  const std::vector<std::string> ascending = {
      "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
      "1.0.0-beta.11", "1.0.0-rc.1",  "1.0.0",            "1.0.1",      "1.1.0",
      "2.0.0",
  };
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    for (std::size_t j = 0; j < ascending.size(); ++j) {
      SCOPED_TRACE(ascending[i] + " vs " + ascending[j]);
      const int c = compare(must_parse(ascending[i]), must_parse(ascending[j]));
      if (i < j) {
        EXPECT_LT(c, 0);
      } else if (i > j) {
        EXPECT_GT(c, 0);
      } else {
        EXPECT_EQ(c, 0);
      }
    }
  }
}

struct OrderCase {
  std::string lower;
  std::string higher;
};

TEST(SemVerCompare, PairwiseOrdering) {
  const std::vector<OrderCase> cases = {
      {"1.0.9", "1.0.10"},
      {"1.9.0", "1.10.0"},
      {"9.0.0", "10.0.0"},
      {"1.1.0-beta.1", "1.1.0"},
      {"1.0.9", "1.1.0-beta.1"},
      {"1.0.0-2", "1.0.0-10"},
      {"1.0.0-999", "1.0.0-a"},
      {"1.0.0-Z", "1.0.0-a"},
      {"1.0.0-a", "1.0.0-a.0"},
      {"1.0.0-alpha.9", "1.0.0-alpha.10"},
      {"1.0.0-99999999999999999999", "1.0.0-100000000000000000000"},
      {"18446744073709551614.0.0", "18446744073709551615.0.0"},
  };
  for (const OrderCase& c : cases) {
    SCOPED_TRACE(c.lower + " < " + c.higher);
    const SemVer lo = must_parse(c.lower);
    const SemVer hi = must_parse(c.higher);
    EXPECT_LT(compare(lo, hi), 0);
    EXPECT_GT(compare(hi, lo), 0);
    EXPECT_FALSE(same_precedence(lo, hi));
  }
}

TEST(SemVerCompare, BuildMetadataIsIgnoredForPrecedenceButNotEquality) {
  const SemVer a = must_parse("1.0.0+a");
  const SemVer b = must_parse("1.0.0+b");
  EXPECT_EQ(compare(a, b), 0);
  EXPECT_TRUE(same_precedence(a, b));
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(same_precedence(must_parse("v1.0.0-rc.1"), must_parse("1.0.0-rc.1+x")));
}

TEST(SemVerCompare, HandlesUnparsedLeadingZerosNumerically) {
  SemVer a = must_parse("1.0.0");
  a.prerelease = {"007"};
  SemVer b = a;
  b.prerelease = {"7"};
  EXPECT_EQ(compare(a, b), 0);
  b.prerelease = {"10"};
  EXPECT_LT(compare(a, b), 0);
}

TEST(SemVerCompare, LenientAndStrictFormsAgree) {
  EXPECT_TRUE(same_precedence(*parse_reported_version("1.2"), must_parse("1.2.0")));
  EXPECT_TRUE(same_precedence(*parse_reported_version(" 1 "), must_parse("v1.0.0")));
}

}  // namespace
