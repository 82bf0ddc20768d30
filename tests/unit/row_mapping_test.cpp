// Rows read by column name (store/row_mapping.h) and the stored forms
// of record fields (store/column_values.h).

#include "store/row_mapping.h"

#include <gtest/gtest.h>

namespace apiota::store::sqlite {
namespace {

struct Sample {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> note;
  bool flag = false;
  double share = 0;
  KeyRole role = KeyRole::Provision;
  std::vector<std::string> tags;
  std::vector<std::int64_t> ids;
  std::vector<RolloutStageRecord> stages;
};

const RowMapping<Sample> kSample{
    column<&Sample::id>("id"),       column<&Sample::name>("name"),   column<&Sample::note>("note"),
    column<&Sample::flag>("flag"),   column<&Sample::share>("share"), column<&Sample::role>("role"),
    column<&Sample::tags>("tags"),   column<&Sample::ids>("ids"),     column<&Sample::stages>("stages"),
};

class RowMappingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_.exec(
        "CREATE TABLE samples (id INTEGER, name TEXT, note TEXT, flag INTEGER, share REAL, role TEXT, tags TEXT, "
        "ids TEXT, stages TEXT);"
        "INSERT INTO samples VALUES (7, 'seven', NULL, 1, 12.5, 'admin', 'lab,eu', '3,11', "
        "'10.00:60:0,100.00:0:5');"
        "INSERT INTO samples VALUES (8, 'eight', 'n', 0, 100, 'provision', '', NULL, '')");
  }
  Connection conn_{":memory:"};
};

TEST_F(RowMappingTest, SelectListNamesEveryColumnInOrder) {
  EXPECT_EQ(kSample.select_list(), "id, name, note, flag, share, role, tags, ids, stages");
  EXPECT_EQ(kSample.prefixed("s_").select_list("t").substr(0, 30), "t.id AS s_id, t.name AS s_name");
}

TEST_F(RowMappingTest, ReadsByNameWhateverTheOrderOfTheResult) {
  auto stmt = conn_.prepare("SELECT stages, ids, tags, role, share, flag, note, name, id FROM samples ORDER BY id");
  ASSERT_TRUE(stmt.step());
  Sample first = kSample.read(stmt);
  EXPECT_EQ(first.id, 7);
  EXPECT_EQ(first.name, "seven");
  EXPECT_EQ(first.note, std::nullopt);
  EXPECT_TRUE(first.flag);
  EXPECT_EQ(first.share, 12.5);
  EXPECT_EQ(first.role, KeyRole::Admin);
  EXPECT_EQ(first.tags, (std::vector<std::string>{"lab", "eu"}));
  EXPECT_EQ(first.ids, (std::vector<std::int64_t>{3, 11}));
  ASSERT_EQ(first.stages.size(), 2u);
  EXPECT_EQ(first.stages[0].percent, 10);
  EXPECT_EQ(first.stages[0].min_duration_s, 60);
  EXPECT_EQ(first.stages[1].min_successes, 5);

  ASSERT_TRUE(stmt.step());
  Sample second = kSample.read(stmt);
  EXPECT_EQ(second.id, 8);
  EXPECT_EQ(second.note, "n");
  EXPECT_FALSE(second.flag);
  EXPECT_EQ(second.role, KeyRole::Provision);
  EXPECT_TRUE(second.tags.empty());
  EXPECT_TRUE(second.ids.empty()) << "NULL reads as an empty list";
  EXPECT_TRUE(second.stages.empty());
}

TEST_F(RowMappingTest, AColumnMissingFromTheResultIsAnErrorNamingItAndTheSql) {
  auto stmt = conn_.prepare("SELECT id, name, note, flag, share, role, tags, stages FROM samples");
  ASSERT_TRUE(stmt.step());
  try {
    kSample.read(stmt);
    FAIL() << "a row without 'ids' was read";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("no column 'ids'"), std::string::npos) << message;
    EXPECT_NE(message.find("SELECT id, name, note, flag, share, role, tags, stages FROM samples"), std::string::npos)
        << message;
  }
}

TEST_F(RowMappingTest, APrefixedMappingReadsItsColumnsBesideAnother) {
  static const RowMapping<Sample> other = kSample.prefixed("other_");
  auto stmt = conn_.prepare("SELECT " + kSample.select_list("a") + ", " + other.select_list("b") +
                            " FROM samples a JOIN samples b ON b.id = a.id + 1");
  ASSERT_TRUE(stmt.step());
  EXPECT_EQ(kSample.read(stmt).name, "seven");
  EXPECT_EQ(other.read(stmt).name, "eight");
}

TEST_F(RowMappingTest, ReadingIntoARecordLeavesUnmappedFieldsAlone) {
  static const RowMapping<Sample> name_only{column<&Sample::name>("name")};
  auto stmt = conn_.prepare("SELECT name FROM samples WHERE id = 8");
  ASSERT_TRUE(stmt.step());
  Sample sample;
  sample.id = 99;
  name_only.read(stmt, sample);
  EXPECT_EQ(sample.id, 99);
  EXPECT_EQ(sample.name, "eight");
}

TEST(ColumnValues, StoredFormsReadBack) {
  EXPECT_EQ(stored_list({"a", "b"}), "a,b");
  EXPECT_EQ(stored_list({}), "");
  EXPECT_EQ(stored_stages({{10, 60, 0}, {100, 0, 5}}), "10.00:60:0,100.00:0:5");
  EXPECT_EQ(stored_role(KeyRole::Admin), "admin");
  EXPECT_EQ(stored_role(KeyRole::Provision), "provision");
}

}  // namespace
}  // namespace apiota::store::sqlite
