// The hit-counting modules' shared half: the program's functions for the
// probes a module lists, and its counter, one instance per named slot of
// the `hits` array.
#include "module/hit_counters.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/ini.h"
#include "module/options.h"

namespace bcc {
namespace {

// Slots a test sets, for `hits` alone.
class HitSlots : public Maps {
 public:
  int fd(const std::string& name) const override {
    throw std::runtime_error("no map '" + name + "'");
  }
  MapSlots u64_slots(const std::string& name) override {
    if (name != "hits") throw std::runtime_error("no map '" + name + "'");
    return MapSlots(std::make_shared<std::vector<uint64_t>>(hits));
  }
  std::vector<uint64_t> hits;
};

// A module's collector as tracepoint_hits' is: slots named at configure.
class Named : public HitCounters {
 public:
  explicit Named(std::vector<std::string> names) : HitCounters("probe.hits") {
    count_slots(std::move(names));
  }
};

// One as uprobe_hits' is: "library:symbol" from its option, named "library::symbol".
class Paired : public HitCounters {
 public:
  Paired() : HitCounters("probe.hits") {}
  void configure(const ModuleOptions& options) override {
    count_pairs(listed(options, "uprobes", "bcc-uprobe.conf", "uprobe"), "uprobes",
                "library:symbol");
  }
  using HitCounters::slots;
};

// What configuring a Paired with `keys` throws ("" when nothing).
std::string configure_error(Paired& counters, const std::string& keys) {
  config::IniFile file =
      config::parse_ini_text("[u]\nmodule = uprobe_hits\n" + keys, "/nonexistent/bcc.conf");
  ModuleOptions options(file, file.sections.at(0), {text_option("uprobes", "probes")});
  try {
    counters.configure(options);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

std::vector<Sample> collect(HitCounters& counters, Maps& maps) {
  std::vector<MetricSpec> metrics = {hit_counter("probe.hits", "hits", "per probe")};
  std::vector<bool> serves;
  std::vector<std::vector<Sample>> out(metrics.size());
  Collection collection(metrics, serves, out);
  counters.collect(maps, collection);
  return out[0];
}

TEST(HitCounters, DefinesAFunctionPerListedProbe) {
  EXPECT_EQ(Named({"a:b", "c:d"}).defines({}),
            (std::vector<std::string>{"PROBE_COUNT=2",
                                      "PROBE_FUNCTIONS=HIT_FUNCTION(0) HIT_FUNCTION(1) "}));
  // before configure, or with nothing listed: one slot, no function
  EXPECT_EQ(Named({}).defines({}),
            (std::vector<std::string>{"PROBE_COUNT=1", "PROBE_FUNCTIONS="}));
  EXPECT_EQ(hit_function(3), "hit_3");
}

TEST(HitCounters, OneInstancePerNamedSlot) {
  Named counters({"c::malloc", "", "my lib::sym\nbol"});
  HitSlots maps;
  maps.hits = {7, 8, 9, 10};  // a slot beyond the list has no name
  std::vector<Sample> samples = collect(counters, maps);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].instance, "c::malloc");
  EXPECT_EQ(std::get<uint64_t>(samples[0].value), 7u);
  EXPECT_EQ(samples[1].instance, "my lib::sym\nbol");  // passed on raw
  EXPECT_EQ(std::get<uint64_t>(samples[1].value), 9u);
}

TEST(HitCounters, ListedPairsNameTheirSlots) {
  Paired counters;
  EXPECT_EQ(configure_error(counters, "uprobes = c:malloc, /lib/my lib.so:f\n"), "");
  EXPECT_EQ(counters.slots(), (std::vector<std::string>{"c::malloc", "/lib/my lib.so::f"}));
  EXPECT_EQ(configure_error(counters, "uprobes = c:malloc, :free\n"),
            "uprobes: ':free' is not library:symbol");
  EXPECT_EQ(configure_error(counters, ""),
            "uprobes: no uprobe given (set uprobes, or list them in bcc-uprobe.conf)");
}

TEST(HitCounters, TheCounterHasNoReaderOfItsOwn) {
  EXPECT_FALSE(hit_counter("probe.hits", "hits", "per probe").read);
}

}  // namespace
}  // namespace bcc
