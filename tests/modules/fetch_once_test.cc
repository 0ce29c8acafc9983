// Every built-in module, configured with its defaults and fetched on fake
// maps the way the agent fetches it: each map is read once per fetch,
// whichever of its metrics and hooks read it (and once more after a hook
// changed it).
#include <gtest/gtest.h>

#include <cctype>

#include "config/ini.h"
#include "fake_maps.h"
#include "module/fetch.h"
#include "module/options.h"
#include "module/registry.h"

using namespace bcc;
using bcc::testing::FakeMaps;

namespace {

// The options a section of the type needs to configure: none but `process`
// for modules whose probes follow processes, and the probe lists of the
// modules that count hits.
std::string section_text(const std::string& type, const ModuleSpec& spec) {
  std::string text = "[m]\nmodule = " + type + "\n";
  if (spec.process_arming() != ProcessArming::none) text += "process = 1\n";
  if (type == "tracepoint_hits") text += "tracepoints = sched:sched_switch\n";
  if (type == "kprobe_hits") text += "kprobes = vfs_read\n";
  if (type == "uprobe_hits") text += "uprobes = c:malloc\n";
  if (type == "usdt_hits") text += "usdts = hotspot:thread__start\n";
  return text;
}

struct Fetched {
  FakeMaps maps;
  std::vector<FetchError> errors;
  std::vector<std::vector<Sample>> values;
};

void fetch(const std::string& type, Fetched& out) {
  const ModuleFactory* factory = Registry::builtin().find(type);
  ASSERT_NE(factory, nullptr);
  ModuleSpec spec = (*factory)();
  config::IniFile file = config::parse_ini_text(section_text(type, spec), "bcc.conf");
  ModuleOptions options(file, file.sections.at(0), spec.options());
  spec.configure(options);
  out.errors = fetch_values(spec, out.maps, {}, out.values);
}

class EachModule : public ::testing::TestWithParam<std::string> {};

TEST_P(EachModule, ReadsEachMapOncePerFetch) {
  Fetched fetched;
  ASSERT_NO_FATAL_FAILURE(fetch(GetParam(), fetched));
  // once, and once more when a hook changed the map (retired exited processes)
  for (const auto& reads :
       {fetched.maps.entry_reads, fetched.maps.slot_reads, fetched.maps.array_reads})
    for (const auto& [map, count] : reads)
      EXPECT_LE(count, fetched.maps.changes.count(map) ? 2 : 1) << "map '" << map << "'";
  for (const FetchError& e : fetched.errors)
    ADD_FAILURE() << (e.metric.empty() ? "before reading" : e.metric) << ": " << e.what;
}

std::vector<std::string> builtin_types() {
  std::vector<std::string> types;
  for (const std::string& type : Registry::builtin().types())
    if (Registry::builtin().find(type)) types.push_back(type);  // not section-built (custom)
  return types;
}

INSTANTIATE_TEST_SUITE_P(BuiltIn, EachModule, ::testing::ValuesIn(builtin_types()),
                         [](const auto& info) {
                           std::string name = info.param;  // "fs.ext4dist": letters only
                           for (char& c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// The property the suite checks, shown where it matters most: netproc's
// eight counters and its exited-process hook read one map.
TEST(FetchOnce, NetprocReadsItsMapOnceForTenReaders) {
  Fetched fetched;
  ASSERT_NO_FATAL_FAILURE(fetch("netproc", fetched));
  EXPECT_EQ(fetched.maps.entry_reads, (std::map<std::string, int>{{"netstats", 1}}));
  ASSERT_EQ(fetched.values.size(), 8u);
  for (const auto& metric : fetched.values) EXPECT_EQ(metric.size(), 2u);  // pids 1 and 2
}

}  // namespace
