// A table as metrics: each column a metric, row i its instance "i", every
// column from the same rows; names passed on raw.
#include "module/table_columns.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace bcc;

namespace {

struct Table {
  std::vector<MetricSpec> metrics = {
      column_metric("t.pid", PM_TYPE_U32, no_units(), "pid", "the pid"),
      column_metric("t.comm", PM_TYPE_STRING, no_units(), "comm", "the command")};
  std::vector<std::string> columns = {"t.pid", "t.comm"};
  std::vector<std::vector<Sample>> out = std::vector<std::vector<Sample>>(2);
};

TEST(TableColumns, AColumnIsAnInstantMetricWithoutAReader) {
  MetricSpec m = column_metric("t.pid", PM_TYPE_U32, no_units(), "pid", "the pid");
  EXPECT_EQ(m.semantics, PM_SEM_INSTANT);
  EXPECT_EQ(m.type, PM_TYPE_U32);
  EXPECT_TRUE(m.has_instances);
  EXPECT_FALSE(m.read);
}

TEST(TableColumns, RowIIsInstanceIOfEveryColumn) {
  Table t;
  std::vector<bool> serves;
  Collection collection(t.metrics, serves, t.out);
  add_rows(collection, t.columns,
           {{uint64_t{7}, std::string("a b\nc\x01")}, {uint64_t{8}, std::string("sh")}});
  ASSERT_EQ(t.out[0].size(), 2u);
  ASSERT_EQ(t.out[1].size(), 2u);
  EXPECT_EQ(t.out[0][0].instance, "0");
  EXPECT_EQ(std::get<uint64_t>(t.out[0][0].value), 7u);
  EXPECT_EQ(t.out[1][0].instance, "0");
  EXPECT_EQ(std::get<std::string>(t.out[1][0].value), "a b\nc\x01");  // raw
  EXPECT_EQ(t.out[1][1].instance, "1");
  EXPECT_EQ(std::get<std::string>(t.out[1][1].value), "sh");
}

TEST(TableColumns, AColumnNotServedOrMissingFromARowIsSkipped) {
  Table t;
  std::vector<bool> serves = {false, true};
  Collection collection(t.metrics, serves, t.out);
  add_rows(collection, t.columns, {{uint64_t{7}, std::string("a")}, {uint64_t{8}}});
  EXPECT_TRUE(t.out[0].empty());
  ASSERT_EQ(t.out[1].size(), 1u);
  EXPECT_EQ(t.out[1][0].instance, "0");
}

}  // namespace
