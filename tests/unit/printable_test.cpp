#include "domain/printable.h"

#include <gtest/gtest.h>

namespace apiota::domain {
namespace {

struct Case {
  std::string input;
  std::string expected;
};

class PrintableTest : public ::testing::TestWithParam<Case> {};

TEST_P(PrintableTest, EscapesEverythingButPrintableUtf8) {
  EXPECT_EQ(printable(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Texts, PrintableTest,
    ::testing::Values(Case{"", ""}, Case{"/var/lib/apiota/apiota.db", "/var/lib/apiota/apiota.db"},
                      Case{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5"},
                      Case{"a\\b", "a\\\\b"},                                   // backslash
                      Case{std::string("t\0x", 3), "t\\x00x"},                  // NUL
                      Case{"\x1b[31mred\n\x7f", "\\x1b[31mred\\x0a\\x7f"},      // C0 controls, DEL
                      Case{"\xc2\x9b" "2J", "\\xc2\\x9b2J"},                    // C1 control (CSI)
                      Case{"bad\xff\xfe", "bad\\xff\\xfe"},                     // never valid in UTF-8
                      Case{"\xc3", "\\xc3"},                                    // truncated sequence
                      Case{"\xe2\x82", "\\xe2\\x82"},                           // truncated sequence
                      Case{"\xc0\xaf", "\\xc0\\xaf"},                           // overlong '/'
                      Case{"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},                  // overlong '/'
                      Case{"\xed\xa0\x80", "\\xed\\xa0\\x80"},                  // surrogate
                      Case{"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}));       // above U+10FFFF

}  // namespace
}  // namespace apiota::domain
