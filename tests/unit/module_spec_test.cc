#include <gtest/gtest.h>

#include "module/histogram.h"
#include "bpf/probe.h"
#include "config/ini.h"
#include "module/options.h"
#include "module/registry.h"
#include "module/spec.h"

using namespace bcc;

namespace {

TEST(Histogram, BucketNamesFollowThePythonAgent) {
  EXPECT_EQ(log2_bucket_name(0), "0-1");
  EXPECT_EQ(log2_bucket_name(1), "0-1");
  EXPECT_EQ(log2_bucket_name(2), "2-3");
  EXPECT_EQ(log2_bucket_name(3), "4-7");
  EXPECT_EQ(log2_bucket_name(11), "1024-2047");
}

TEST(Histogram, SamplesRunUpToTheHighestNonEmptyBucket) {
  std::vector<uint64_t> slots(64, 0);
  slots[1] = 5;
  slots[4] = 7;
  std::vector<Sample> out;
  log2_samples(slots, out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].instance, "0-1");
  EXPECT_EQ(std::get<uint64_t>(out[0].value), 5u);
  EXPECT_EQ(out[2].instance, "4-7");
  EXPECT_EQ(std::get<uint64_t>(out[2].value), 0u);
  EXPECT_EQ(out[3].instance, "8-15");
}

TEST(Histogram, EmptyHistogramStillHasTheFirstBucket) {
  std::vector<Sample> out;
  log2_samples(std::vector<uint64_t>(64, 0), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].instance, "0-1");
}

TEST(Histogram, BoundsOfBucketNames) {
  EXPECT_EQ(bucket_bounds("4-7"), std::make_pair(uint64_t{4}, uint64_t{7}));
  EXPECT_FALSE(bucket_bounds("7-4"));
  EXPECT_FALSE(bucket_bounds("x-1"));
  EXPECT_FALSE(bucket_bounds("17"));
}

class FakeKernel : public KernelProbes {
 public:
  std::set<std::string> present;
  std::string unavailable(const ProbeAlternative& alt) const override {
    return present.count(alt.describe()) ? "" : "missing";
  }
};

TEST(ProbeChain, FirstAvailableAlternativeWins) {
  ProbeChain chain{"switch", {tracepoint("sched:sched_switch"), kprobe("finish_task_switch")}};
  FakeKernel kernel;
  kernel.present = {"tracepoint sched:sched_switch", "kprobe finish_task_switch"};
  EXPECT_EQ(choose(chain, kernel, {}).index, 0u);
  kernel.present = {"kprobe finish_task_switch"};
  EXPECT_EQ(choose(chain, kernel, {}).index, 1u);
}

TEST(ProbeChain, FailedAlternativesAreSkipped) {
  ProbeChain chain{"switch", {tracepoint("sched:sched_switch"), raw_tracepoint("sched_switch")}};
  FakeKernel kernel;
  kernel.present = {"tracepoint sched:sched_switch", "raw_tracepoint sched_switch"};
  EXPECT_EQ(choose(chain, kernel, {tracepoint("sched:sched_switch")}).index, 1u);
}

TEST(ProbeChain, NoneLeftExplainsEveryAlternative) {
  ProbeChain chain{"x", {tracepoint("a:b"), kprobe("f")}};
  FakeKernel kernel;
  ProbeChoice c = choose(chain, kernel, {});
  EXPECT_FALSE(c.index);
  EXPECT_EQ(c.why_none, "tracepoint a:b: missing; kprobe f: missing");
}

TEST(ProbeChain, FunctionNamesAndMacrosFollowBccConventions) {
  EXPECT_EQ(tracepoint("sched:sched_switch").function_name(), "tracepoint__sched__sched_switch");
  EXPECT_EQ(raw_tracepoint("sched_switch").function_name(), "raw_tracepoint__sched_switch");
  EXPECT_EQ(kprobe("tcp_set_state").function_name(), "kprobe__tcp_set_state");
  EXPECT_EQ(kretprobe("f").function_name(), "kretprobe__f");
  ProbeChain chain{"wakeup_new", {}};
  EXPECT_EQ(chain.macro(tracepoint("sched:sched_wakeup_new")), "WAKEUP_NEW_TRACEPOINT");
  EXPECT_EQ(chain.macro(raw_tracepoint("x")), "WAKEUP_NEW_RAW_TRACEPOINT");
}

TEST(ProbeChain, TargetMacrosTellTwoTracepointsApart) {
  ProbeChain chain{"start", {}};
  EXPECT_EQ(chain.target_macro(tracepoint("block:block_io_start")), "START_BLOCK_IO_START");
  EXPECT_EQ(chain.target_macro(tracepoint("block:block_bio_queue")), "START_BLOCK_BIO_QUEUE");
  EXPECT_EQ(chain.target_macro(kprobe("__x64_sys_execve")), "START___X64_SYS_EXECVE");
}

ModuleSpec sample_spec() {
  return ModuleSpec("sample")
      .option(flag_option("queued", "q"))
      .option(number_option("count", 20, "n", 1, 100))
      .probe("a", {tracepoint("x:a")})
      .probe_if("queued", "b", {tracepoint("x:b")})
      .probe_unless("queued", "c", {tracepoint("x:c")})
      .define_if("queued", "QUEUED");
}

ModuleOptions options_of(const std::string& body) {
  static std::vector<config::IniFile> keep;  // sections are referenced, keep files alive
  keep.push_back(config::parse_ini_text("[s]\nmodule = sample\ncluster = 1\n" + body, "bcc.conf"));
  return ModuleOptions(keep.back(), *keep.back().find("s"), sample_spec().options());
}

std::string option_error(const std::string& body) {
  try {
    options_of(body);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ModuleOptions, DefaultsAndValues) {
  ModuleOptions defaults(sample_spec().options());
  EXPECT_FALSE(defaults.flag("queued"));
  EXPECT_EQ(defaults.number("count"), 20u);
  ModuleOptions set = options_of("queued = True\ncount = 7\n");
  EXPECT_TRUE(set.flag("queued"));
  EXPECT_EQ(set.number("count"), 7u);
}

TEST(ModuleOptions, UnknownKeyListsAcceptedKeys) {
  EXPECT_EQ(option_error("qeued = True\n"),
            "bcc.conf:4: [s] unknown key 'qeued'; this module accepts: module, cluster, prefix, "
            "debug, queued, count");
}

TEST(ModuleOptions, BadValuesSayWhatIsExpected) {
  EXPECT_EQ(option_error("queued = perhaps\n"),
            "bcc.conf:4: [s] queued = 'perhaps': expected True or False");
  EXPECT_EQ(option_error("count = 0\n"),
            "bcc.conf:4: [s] count = '0': expected a whole number from 1 to 100");
}

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

TEST(ModuleSpec, DefinesForTheProcessesFollowed) {
  ModuleSpec spec("per_process");
  spec.follow_processes(ProcessArming::each_match)
      .defines_from([](const ModuleOptions&) { return std::vector<std::string>{"ALWAYS"}; })
      .defines_for_processes([](const ModuleOptions&, const std::vector<int>& pids) {
        std::vector<std::string> out;
        for (int pid : pids) out.push_back("PID_" + std::to_string(pid));
        return out;
      });
  ModuleOptions options(spec.options());
  EXPECT_EQ(spec.defines(options), std::vector<std::string>{"ALWAYS"});
  EXPECT_EQ(spec.defines(options, {12, 34}),
            (std::vector<std::string>{"ALWAYS", "PID_12", "PID_34"}));
}

TEST(ModuleSpec, AFollowedProcessCanBeRequired) {
  ModuleSpec spec("usdt_like");
  spec.option(text_option("process", "the process to follow"))
      .follow_processes(ProcessArming::first_match)
      .process_required("USDT probes are attached to one process");
  auto configure = [&spec](const ModuleOptions& options) {
    try {
      for (const auto& hook : spec.configure_hooks()) hook(options);
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

ModuleSpec first() { return ModuleSpec("first"); }

TEST(Registry, LookupByTypeAndSortedNames) {
  Registry registry;
  registry.add("zeta", first);
  registry.add("alpha", first);
  ASSERT_NE(registry.find("zeta"), nullptr);
  EXPECT_EQ((*registry.find("zeta"))().type(), "first");
  EXPECT_EQ(registry.find("beta"), nullptr);
  EXPECT_EQ(registry.types(), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_THROW(registry.add("alpha", first), std::logic_error);
}

// A type whose declaration depends on its section (as custom programs do)
ModuleSpec from_section(const config::IniFile&, const config::Section& section) {
  if (!section.find("program")) throw config::ConfigError("no program");
  return ModuleSpec("sectioned").summary(section.name);
}

TEST(Registry, SectionDependentTypes) {
  Registry registry;
  registry.add("zeta", first);
  registry.add("custom", from_section);
  EXPECT_EQ(registry.types(), (std::vector<std::string>{"custom", "zeta"}));
  EXPECT_EQ(registry.find("custom"), nullptr);  // no section-free factory
  config::IniFile file;
  config::Section with{"mine", 1, {{"program", "x.bpf", 2}}};
  config::Section without{"other", 1, {}};
  EXPECT_EQ(registry.make("custom", file, with).summary(), "mine");
  EXPECT_THROW(registry.make("custom", file, without), config::ConfigError);
  EXPECT_EQ(registry.make("zeta", file, without).type(), "first");
  EXPECT_THROW(registry.add("custom", first), std::logic_error);
  EXPECT_THROW(registry.add("zeta", from_section), std::logic_error);
}

}  // namespace
