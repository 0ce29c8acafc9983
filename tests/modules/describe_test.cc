// What `pmdabcc --describe` and bcc.conf's comments say of a module: its
// declaration, laid out within 79 columns.
#include "module/describe.h"

#include <gtest/gtest.h>

#include <sstream>

#include "module/collector.h"
#include "module/registry.h"

using namespace bcc;

namespace {

TEST(Describe, OptionsAreCommentLinesWrappedUnderTheirHelp) {
  ModuleSpec spec("example");
  spec.option(flag_option("queued", "include the time requests wait in the OS queue"))
      .option(number_option("session_count", 20,
                            "how many recent sessions to keep; a long help text that goes on "
                            "past the end of the line and wraps"))
      .process_filter();  // declares process, and process_user/process_exe (said once at the top)
  std::string text = options_comment(spec);
  EXPECT_EQ(text,
            "# Options:\n"
            "# queued        - boolean - False : include the time requests wait in the OS\n"
            "#                                   queue\n"
            "# session_count - number - 20 : how many recent sessions to keep; a long help\n"
            "#                               text that goes on past the end of the line and\n"
            "#                               wraps\n"
            "# process       - text - unset : only these processes: a comma list of pids,\n"
            "#                                command names, or regular expressions on the\n"
            "#                                command line\n")
      << text;
}

TEST(Describe, AModuleWithoutOptionsOfItsOwnHasNoComment) {
  ModuleSpec spec("bare");
  EXPECT_EQ(options_comment(spec), "");
}

// A metric without a reader of its own is the collector's: a module that
// declares one has a collector, and one with a collector fills something,
// or arms the module (-D macros, probes: ustat's, whose metrics are stock).
TEST(Describe, EveryMetricHasAReaderOrItsModulesCollector) {
  for (const std::string& type : Registry::builtin().types()) {
    const ModuleFactory* factory = Registry::builtin().find(type);
    if (!factory) continue;
    ModuleSpec spec = (*factory)();
    bool collected = false;
    for (const MetricSpec& m : spec.metrics()) {
      if (m.read) continue;
      collected = true;
      EXPECT_TRUE(spec.collector()) << type << ": " << m.name << " has no reader and no collector";
    }
    if (spec.collector() && !collected)
      EXPECT_FALSE(spec.collector()->defines({}).empty() && spec.collector()->probes({}).empty())
          << type << ": a collector that fills nothing and arms nothing";
    for (const auto& buffer : spec.perf_buffers())
      EXPECT_TRUE(buffer.on_event) << type << ": perf buffer " << buffer.table
                                   << " has no handler and the module no collector";
  }
}

// Every built-in module explains each option and metric it declares.
TEST(Describe, EveryOptionAndMetricOfEveryModuleHasHelp) {
  for (const std::string& type : Registry::builtin().types()) {
    const ModuleFactory* factory = Registry::builtin().find(type);
    if (!factory) continue;  // custom: declared by its program
    ModuleSpec spec = (*factory)();
    EXPECT_FALSE(spec.summary().empty()) << type;
    for (const OptionSpec& o : spec.options())
      EXPECT_FALSE(o.help.empty()) << type << ": option " << o.name;
    for (const MetricSpec& m : spec.metrics()) {
      EXPECT_FALSE(m.oneline.empty()) << type << ": " << m.name;
      EXPECT_FALSE(m.help.empty()) << type << ": " << m.name;
    }
    std::istringstream lines(describe_module(spec, "bcc."));
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("#", 0) == 0) EXPECT_LE(line.size(), 79u) << type << ": " << line;
  }
}

}  // namespace
