// What a module declares (ModuleSpec): probes, defines and configure hooks
// from its options, including those it declares through port filters, perf
// buffers, perf sampling and optional probes.
#include "module/spec.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "bpf/probe.h"
#include "config/ini.h"
#include "module/collector.h"
#include "module/options.h"
#include "support/sample_module.h"

using namespace bcc;
using bcc::testing::options_of;
using bcc::testing::sample_spec;

namespace {

TEST(ModuleSpec, ConditionalProbesAndDefines) {
  ModuleSpec spec = sample_spec();
  ModuleOptions off(spec.options());
  ModuleOptions on = options_of("queued = yes\n");
  auto names = [](const std::vector<ProbeChain>& chains) {
    std::vector<std::string> out;
    for (const auto& c : chains) out.push_back(c.name);
    return out;
  };
  EXPECT_EQ(names(spec.probes(off)), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(names(spec.probes(on)), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(spec.defines(off).empty());
  EXPECT_EQ(spec.defines(on), std::vector<std::string>{"QUEUED"});
}

TEST(ModuleSpec, AFollowedProcessCanBeRequired) {
  ModuleSpec spec("usdt_like");
  spec.option(text_option("process", "the process to follow"))
      .follow_processes(ProcessArming::first_match)
      .process_required("USDT probes are attached to one process");
  auto configure = [&spec](const ModuleOptions& options) {
    try {
      spec.configure(options);
    } catch (const config::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(configure(ModuleOptions(spec.options())),
            "usdt_like: process is mandatory (USDT probes are attached to one process)");
  config::IniFile file =
      config::parse_ini_text("[s]\nmodule = usdt_like\nprocess = java\n", "bcc.conf");
  EXPECT_EQ(configure(ModuleOptions(file, file.sections.at(0), spec.options())), "");
}

TEST(PortFilter, SpecDefinesTheMacroOnlyWhenSet) {
  ModuleSpec spec("x");
  spec.port_filter("dport", "DPORT_ALLOWED", "help");
  ModuleOptions defaults(spec.options());
  EXPECT_TRUE(spec.defines(defaults).empty());
  config::IniFile file = config::parse_ini_text("[x]\ndport = 22, 80\n", "bcc.conf");
  ModuleOptions set(file, file.sections.at(0), spec.options());
  EXPECT_EQ(spec.defines(set), (std::vector<std::string>{"DPORT_ALLOWED(p)=((p) == 22 || (p) == 80)"}));
}

TEST(PortFilter, BadPortIsAConfigError) {
  ModuleSpec spec("x");
  spec.port_filter("lport", "LPORT_ALLOWED", "help");
  config::IniFile file = config::parse_ini_text("[x]\nlport = ssh\n", "bcc.conf");
  ModuleOptions set(file, file.sections.at(0), spec.options());
  try {
    spec.configure(set);
    FAIL();
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("lport: 'ssh' is not a port"), std::string::npos)
        << e.what();
  }
}

TEST(PerfBufferPages, MustBeAPowerOfTwo) {
  ModuleSpec spec("x");
  spec.option(number_option("buffer_page_count", 64, "pages"))
      .events("events", "buffer_page_count");
  for (const char* value : {"3", "0", "48"}) {
    config::IniFile file =
        config::parse_ini_text(std::string("[x]\nbuffer_page_count = ") + value + "\n", "bcc.conf");
    ModuleOptions set(file, file.sections.at(0), spec.options());
    EXPECT_THROW(spec.configure(set), config::ConfigError) << value;
  }
  config::IniFile file = config::parse_ini_text("[x]\nbuffer_page_count = 1\n", "bcc.conf");
  ModuleOptions one(file, file.sections.at(0), spec.options());
  EXPECT_NO_THROW(spec.configure(one));
}

TEST(PerfEventProbe, SamplingComesFromTheOptions) {
  ModuleSpec spec("sampler");
  spec.option(number_option("frequency", 47, "samples a second"))
      .probe("sample", {perf_event("software:cpu-clock")})
      .probe("other", {tracepoint("sched:sched_switch")})
      .perf_sampling([](const ModuleOptions& o) {
        PerfSampling s;
        s.frequency = o.number("frequency");
        s.cpu = 1;
        return s;
      });
  ModuleOptions defaults(spec.options());
  auto chains = spec.probes(defaults);
  ASSERT_EQ(chains.size(), 2u);
  EXPECT_EQ(chains[0].alternatives[0].sampling.frequency, 47u);
  EXPECT_EQ(chains[0].alternatives[0].sampling.period, 0u);
  EXPECT_EQ(chains[0].alternatives[0].sampling.cpu, 1);
  EXPECT_EQ(chains[1].alternatives[0].sampling.frequency, 0u);  // not a perf event
}

TEST(OptionalProbe, IsMarkedAndKeepsItsAlternatives) {
  ModuleSpec spec("partial");
  spec.probe("needed", {tracepoint("a:b")}).optional_probe("extra", {kprobe("f"), kretprobe("f")});
  auto chains = spec.probes(ModuleOptions(spec.options()));
  ASSERT_EQ(chains.size(), 2u);
  EXPECT_FALSE(chains[0].optional);
  EXPECT_TRUE(chains[1].optional);
  EXPECT_EQ(chains[1].alternatives.size(), 2u);
}

// Probes and -D macros from what the collector parsed at configure, for
// the pids the module is armed for: after the declared ones.
class ListedProbes : public Collector {
 public:
  void configure(const ModuleOptions& options) override { events_ = options.list("events"); }
  std::vector<std::string> defines(const std::vector<int>& pids) override {
    return {"EVENTS=" + std::to_string(events_.size()), "PIDS=" + std::to_string(pids.size())};
  }
  std::vector<ProbeChain> probes(const std::vector<int>& pids) override {
    std::vector<ProbeChain> out;
    for (const std::string& e : events_)
      out.push_back({e + (pids.empty() ? "" : " pid " + std::to_string(pids.front())),
                     {tracepoint(e)},
                     /*optional=*/true});
    return out;
  }

 private:
  std::vector<std::string> events_;
};

ModuleSpec listed_probes_spec() {
  ModuleSpec spec("listed");
  spec.option(list_option("events", "tracepoints"))
      .probe("declared", {tracepoint("x:declared")})
      .define_if("", "DECLARED")
      .collector(std::make_shared<ListedProbes>());
  return spec;
}

TEST(CollectorProbes, FollowTheDeclaredOnesFromTheConfiguredState) {
  ModuleSpec spec = listed_probes_spec();
  config::IniFile file =
      config::parse_ini_text("[s]\nmodule = listed\nevents = a:b, c:d\n", "bcc.conf");
  ModuleOptions options(file, file.sections.at(0), spec.options());
  spec.configure(options);
  EXPECT_EQ(spec.defines(options, {7}),
            (std::vector<std::string>{"DECLARED", "EVENTS=2", "PIDS=1"}));
  auto chains = spec.probes(options, {7});
  ASSERT_EQ(chains.size(), 3u);
  EXPECT_EQ(chains[0].name, "declared");
  EXPECT_EQ(chains[1].name, "a:b pid 7");
  EXPECT_TRUE(chains[1].optional);
  EXPECT_EQ(chains[2].name, "c:d pid 7");
}

// A declaration looked at but never configured (--describe) has the
// collector's empty state: no probe of its own.
TEST(CollectorProbes, BeforeConfigureTheCollectorAddsWhatAnEmptyStateGives) {
  ModuleSpec spec = listed_probes_spec();
  ModuleOptions defaults(spec.options());
  EXPECT_EQ(spec.defines(defaults), (std::vector<std::string>{"DECLARED", "EVENTS=0", "PIDS=0"}));
  ASSERT_EQ(spec.probes(defaults).size(), 1u);
}

}  // namespace
