// The recent-events collector: records become rows, newest first, kept up
// to the capacity option; a fetch fills every column from one copy.
#include "module/recent_events.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "module/fetch.h"
#include "module/options.h"
#include "module/table_columns.h"
#include "support/sample_module.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::options_of;

using bcc::testing::NoMaps;

namespace {

// Records are "pid command" text.
class RecentCommands : public RecentEvents {
 public:
  RecentCommands() : RecentEvents("count", {"cmd.pid", "cmd.comm"}) {}
  void event(const std::string& table, const void* data, int size) override {
    std::string record(static_cast<const char*>(data), static_cast<size_t>(size));
    size_t space = record.find(' ');
    this->table().push({uint64_t{std::stoul(record.substr(0, space))}, record.substr(space + 1)});
    tables.push_back(table);
  }
  std::vector<std::string> tables;
};

struct Declared {
  std::shared_ptr<RecentCommands> collector = std::make_shared<RecentCommands>();
  ModuleSpec spec = bcc::testing::sample_spec()
                        .events("commands")
                        .collector(collector)
                        .metric(column_metric("cmd.pid", PM_TYPE_U32, no_units(), "p", "p"))
                        .metric(column_metric("cmd.comm", PM_TYPE_STRING, no_units(), "c", "c"));
  void send(const std::string& record) {
    spec.perf_buffers().at(0).on_event(record.data(), static_cast<int>(record.size()));
  }
  std::vector<std::vector<Sample>> fetch() {
    NoMaps maps;
    std::vector<std::vector<Sample>> out;
    EXPECT_TRUE(fetch_values(spec, maps, {}, out).empty());
    return out;
  }
};

TEST(RecentEvents, TheBuffersRecordsBecomeRowsNewestFirst) {
  Declared d;
  d.spec.configure(options_of(""));
  d.send("10 first");
  d.send("11 two words\nand a line\x01");
  std::vector<std::vector<Sample>> out = d.fetch();
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(out[0].size(), 2u);
  EXPECT_EQ(out[0][0].instance, "0");
  EXPECT_EQ(std::get<uint64_t>(out[0][0].value), 11u);
  EXPECT_EQ(std::get<std::string>(out[1][0].value), "two words\nand a line\x01");
  EXPECT_EQ(out[1][1].instance, "1");
  EXPECT_EQ(std::get<std::string>(out[1][1].value), "first");
  EXPECT_EQ(d.collector->tables, (std::vector<std::string>{"commands", "commands"}));
}

TEST(RecentEvents, KeepsAsManyAsTheCapacityOptionSays) {
  Declared d;
  d.spec.configure(options_of("count = 2\n"));
  for (int pid = 1; pid <= 5; pid++) d.send(std::to_string(pid) + " sh");
  std::vector<std::vector<Sample>> out = d.fetch();
  ASSERT_EQ(out[0].size(), 2u);
  EXPECT_EQ(std::get<uint64_t>(out[0][0].value), 5u);
  EXPECT_EQ(std::get<uint64_t>(out[0][1].value), 4u);
}

}  // namespace

// pmdabpf's `bpf.<module>.lost`: the module's own count of dropped records,
// a singular U32 counter, fed by the buffer's lost callback.
TEST(RecentEvents, CountsTheRecordsItsBuffersLost) {
  auto collector = std::make_shared<RecentEvents>("count", std::vector<std::string>{"cmd.pid"},
                                                  "cmd.lost");
  ModuleSpec spec = bcc::testing::sample_spec()
                        .events("commands")
                        .collector(collector)
                        .metric(column_metric("cmd.pid", PM_TYPE_U32, no_units(), "p", "p"))
                        .metric(lost_events_metric("cmd.lost"));
  spec.configure(options_of(""));
  spec.perf_buffers().at(0).on_lost(3);
  spec.perf_buffers().at(0).on_lost(4);
  NoMaps maps;
  std::vector<std::vector<Sample>> out;
  ASSERT_TRUE(fetch_values(spec, maps, {}, out).empty());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].empty());
  ASSERT_EQ(out[1].size(), 1u);
  EXPECT_EQ(out[1][0].instance, "");
  EXPECT_EQ(std::get<uint64_t>(out[1][0].value), 7u);
  EXPECT_FALSE(spec.metrics()[1].has_instances);
  EXPECT_EQ(spec.metrics()[1].type, PM_TYPE_U32);
  EXPECT_EQ(spec.metrics()[1].semantics, PM_SEM_COUNTER);
}
