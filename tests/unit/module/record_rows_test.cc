// Fixed-size records as rows: each whole record becomes a row through the
// module's row function, a shorter one is ignored; the options such
// modules declare; discrete columns.
#include "module/record_rows.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "module/fetch.h"
#include "module/table_columns.h"
#include "support/sample_module.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::options_of;

using bcc::testing::NoMaps;

namespace {

struct Record {
  uint32_t pid;
  uint32_t code;
};

std::vector<Value> row(const Record& r) { return {uint64_t{r.pid}, int64_t{r.code} - 1}; }

TEST(RecordRows, WholeRecordsBecomeRowsShorterOnesAreIgnored) {
  ModuleSpec spec =
      bcc::testing::sample_spec()
          .events("events")
          .collector(std::make_shared<RecordRows<Record>>(
              "count", std::vector<std::string>{"r.pid", "r.code"}, "", row))
          .metric(column_metric("r.pid", PM_TYPE_U32, no_units(), "p", "p", PM_SEM_DISCRETE))
          .metric(column_metric("r.code", PM_TYPE_32, no_units(), "c", "c"));
  EXPECT_EQ(spec.metrics()[0].semantics, PM_SEM_DISCRETE);
  EXPECT_EQ(spec.metrics()[1].semantics, PM_SEM_INSTANT);
  Record first{7, 1}, second{8, 3};
  spec.perf_buffers().at(0).on_event(&first, sizeof(first));
  spec.perf_buffers().at(0).on_event(&second, sizeof(second) - 1);
  spec.perf_buffers().at(0).on_event(&second, sizeof(second));
  NoMaps maps;
  std::vector<std::vector<Sample>> out;
  EXPECT_TRUE(fetch_values(spec, maps, {}, out).empty());
  ASSERT_EQ(out.at(0).size(), 2u);
  EXPECT_EQ(out[0][0].instance, "0");
  EXPECT_EQ(std::get<uint64_t>(out[0][0].value), 8u);
  EXPECT_EQ(std::get<int64_t>(out[1][0].value), 2);
  EXPECT_EQ(std::get<uint64_t>(out[0][1].value), 7u);
  EXPECT_EQ(std::get<int64_t>(out[1][1].value), 0);
}

TEST(RecordRows, OptionsOfAnEventTable) {
  OptionSpec count = event_count_option("exits");
  EXPECT_EQ(count.name, "process_count");
  EXPECT_EQ(count.default_value, "20");
  EXPECT_EQ(count.help, "how many recent exits to keep");
  OptionSpec pages = buffer_pages_option(16, "bcc.x.lost");
  EXPECT_EQ(pages.name, "buffer_page_count");
  EXPECT_EQ(pages.default_value, "16");
  EXPECT_NE(pages.help.find("bcc.x.lost"), std::string::npos);
}

}  // namespace

namespace {

struct PidRecord {
  uint32_t pid;
  uint32_t flags;
};

// A collector that needs state to make a row overrides row_of.
class RecentPids : public RecordRows<PidRecord> {
 public:
  RecentPids() : RecordRows("count", {"cmd.pid"}) {}

 protected:
  std::vector<Value> row_of(const PidRecord& r) override { return {uint64_t{r.pid + r.flags}}; }
};

}  // namespace

TEST(RecordRows, AModuleWithStateMakesItsOwnRows) {
  auto collector = std::make_shared<RecentPids>();
  ModuleSpec spec = bcc::testing::sample_spec()
                        .events("pids")
                        .collector(collector)
                        .metric(column_metric("cmd.pid", PM_TYPE_U32, no_units(), "p", "p",
                                              PM_SEM_DISCRETE));
  spec.configure(options_of(""));
  PidRecord first{10, 1}, second{20, 2};
  spec.perf_buffers().at(0).on_event(&first, sizeof(first));
  spec.perf_buffers().at(0).on_event(&second, sizeof(second) - 1);  // short: ignored
  char longer[sizeof(PidRecord) + 8] = {};
  std::memcpy(longer, &second, sizeof(second));
  spec.perf_buffers().at(0).on_event(longer, sizeof(longer));  // trailing bytes: fine
  NoMaps maps;
  std::vector<std::vector<Sample>> out;
  ASSERT_TRUE(fetch_values(spec, maps, {}, out).empty());
  ASSERT_EQ(out.at(0).size(), 2u);
  EXPECT_EQ(std::get<uint64_t>(out[0][0].value), 22u);
  EXPECT_EQ(std::get<uint64_t>(out[0][1].value), 11u);
  EXPECT_EQ(spec.metrics()[0].semantics, PM_SEM_DISCRETE);
}
