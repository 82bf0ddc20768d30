#include "cli/output.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace apiota::cli {
namespace {

TEST(CellText, ShowsValuesTheWayAPersonReadsThem) {
  EXPECT_EQ(cell_text(nullptr), "-");
  EXPECT_EQ(cell_text(true), "yes");
  EXPECT_EQ(cell_text(false), "no");
  EXPECT_EQ(cell_text(""), "-");
  EXPECT_EQ(cell_text(42), "42");
  EXPECT_EQ(cell_text(100.0), "100");
  EXPECT_EQ(cell_text(boost::json::array{"a", "b"}), "a,b");
  EXPECT_EQ(cell_text(boost::json::array{}), "-");
  EXPECT_EQ(cell_text("line\nbreak"), "line\\x0abreak");
}

TEST(FormatTable, AlignsColumnsAndCutsLongCells) {
  const std::vector<Column> columns = {{"ID", "id"}, {"MAX", "plan.max"}, {"NOTE", "note"}};
  const std::vector<boost::json::object> rows = {
      {{"id", "a"}, {"plan", {{"max", 5}}}, {"note", std::string(60, 'x')}},
      {{"id", "longer-id"}, {"note", "short"}}};
  EXPECT_EQ(format_table(columns, rows),
            "ID         MAX  NOTE\n"
            "a          5    " + std::string(37, 'x') + "...\n"
            "longer-id  -    short\n");
}

TEST(FormatFields, OneAlignedLinePerFieldWithNestedNamesJoined) {
  const boost::json::object record = {{"id", "p"}, {"plan", {{"max_devices", 10}}}, {"revoked_at", nullptr}};
  EXPECT_EQ(format_fields(record),
            "id                p\n"
            "plan.max_devices  10\n"
            "revoked_at        -\n");
}

}  // namespace
}  // namespace apiota::cli
