// The collector contract: a module's state and values in one class, called
// by the fetch on the same snapshot as the stock readers.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "config/ini.h"
#include "fake_maps.h"
#include "module/collector.h"
#include "module/fetch.h"
#include "module/metrics.h"
#include "module/options.h"

namespace bcc {
namespace {

using testing::FakeMaps;

// Counts the entries of "calls" by a prefix its option chooses.
class PrefixCounter : public Collector {
 public:
  void configure(const ModuleOptions& options) override {
    prefix = options.text("label");
    if (prefix == "bad") throw config::ConfigError("label = 'bad': not allowed");
  }
  void collect(Maps& maps, Collection& out) override {
    collects++;
    if (fail) throw std::runtime_error("map gone");
    for (const MapEntry& e : maps.entries("calls"))
      out.add("calls.by_key", prefix + e.key, uint64_t{e.value.size()});
    if (std::vector<Sample>* seen = out.values("calls.seen"))
      seen->push_back({"", uint64_t{collects}});
  }
  std::string prefix;
  uint64_t collects = 0;
  bool fail = false;
};

struct Declared {
  std::shared_ptr<PrefixCounter> collector = std::make_shared<PrefixCounter>();
  ModuleSpec spec{"test"};
  Declared() {
    spec.option(text_option("label", "what each name starts with"))
        .collector(collector)
        .metric(make_metric("calls.by_key", PM_TYPE_U64, PM_SEM_COUNTER, count_units(), "by key",
                            "filled by the collector"))
        .metric(make_metric("calls.seen", PM_TYPE_U64, PM_SEM_COUNTER, count_units(), "collects",
                            "filled by the collector"))
        .metric(array_total("calls.total", "slots", count_units(), "total", "a stock reader"));
  }
  ModuleOptions options(const std::string& keys) {
    file = config::parse_ini_text("[m]\n" + keys, "bcc.conf");
    return ModuleOptions(file, file.sections.at(0), spec.options());
  }
  config::IniFile file;
};

TEST(Collector, ConfigureGetsTheSectionsOptionsAndMayRefuseThem) {
  Declared d;
  d.spec.configure(d.options("label = k:\n"));
  EXPECT_EQ(d.collector->prefix, "k:");
  EXPECT_THROW(d.spec.configure(d.options("label = bad\n")), config::ConfigError);
}

TEST(Collector, FillsItsMetricsOnTheSnapshotTheStockReadersRead) {
  Declared d;
  d.spec.configure(d.options("label = k:\n"));
  FakeMaps maps;
  maps.contents["calls"] = {{"a b", "xx"}, {"line\nbreak\x01", "xxx"}};
  maps.slots["slots"] = {1, 2, 3};
  std::vector<std::vector<Sample>> out;
  EXPECT_TRUE(fetch_values(d.spec, maps, {}, out).empty());
  ASSERT_EQ(out.size(), 3u);
  ASSERT_EQ(out[0].size(), 2u);
  EXPECT_EQ(out[0][0].instance, "k:a b");
  EXPECT_EQ(std::get<uint64_t>(out[0][0].value), 2u);
  EXPECT_EQ(out[0][1].instance, "k:line\nbreak\x01");  // passed on raw
  EXPECT_EQ(std::get<uint64_t>(out[1].at(0).value), 1u);
  EXPECT_EQ(std::get<uint64_t>(out[2].at(0).value), 6u);
  EXPECT_EQ(maps.entry_reads["calls"], 1);
  EXPECT_EQ(maps.slot_reads["slots"], 1);
}

TEST(Collector, AMetricNotServedGetsNothing) {
  Declared d;
  ModuleOptions options = d.options("module = test\n");
  d.spec.configure(options);
  FakeMaps maps;
  maps.contents["calls"] = {{"a", "x"}};
  std::vector<std::vector<Sample>> out;
  fetch_values(d.spec, maps, {false, true, true}, out);
  EXPECT_TRUE(out[0].empty());
  EXPECT_EQ(out[1].size(), 1u);
}

TEST(Collector, ACollectorThatThrowsLeavesItsMetricsEmptyAndTheStockOnesRead) {
  Declared d;
  ModuleOptions options = d.options("module = test\n");
  d.spec.configure(options);
  d.collector->fail = true;
  FakeMaps maps;
  maps.slots["slots"] = {4};
  std::vector<std::vector<Sample>> out;
  std::vector<FetchError> errors = fetch_values(d.spec, maps, {}, out);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].metric, "");
  EXPECT_EQ(errors[0].what, "map gone");
  EXPECT_TRUE(out[0].empty());
  EXPECT_TRUE(out[1].empty());
  EXPECT_EQ(std::get<uint64_t>(out[2].at(0).value), 4u);
}

TEST(Collector, NamingAMetricItDoesNotOwnIsAMistakeItIsTold) {
  std::vector<MetricSpec> metrics = {
      make_metric("own", PM_TYPE_U64, PM_SEM_COUNTER, count_units(), "o", "o"),
      array_total("stock", "slots", count_units(), "s", "s")};
  std::vector<bool> serves;
  std::vector<std::vector<Sample>> out(2);
  Collection collection(metrics, serves, out);
  EXPECT_NE(collection.values("own"), nullptr);
  EXPECT_THROW(collection.values("stock"), std::logic_error);
  EXPECT_THROW(collection.values("typo"), std::logic_error);
}

}  // namespace
}  // namespace bcc
