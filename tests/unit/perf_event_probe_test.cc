// Perf-event probes and optional probes: naming, selection macros, sampling
// from options, and what a chain reports when the kernel offers nothing.
#include <gtest/gtest.h>
#include <linux/perf_event.h>

#include "bpf/probe.h"
#include "module/options.h"
#include "module/spec.h"

using namespace bcc;

namespace {

TEST(PerfEventProbe, NamesFollowTheEvent) {
  ProbeAlternative alt = perf_event("software:cpu-clock");
  EXPECT_EQ(alt.describe(), "perf_event software:cpu-clock");
  EXPECT_EQ(alt.function_name(), "perf_event__software_cpu_clock");
  ProbeChain chain{"sample", {alt}};
  EXPECT_EQ(chain.macro(alt), "SAMPLE_PERF_EVENT");
}

TEST(PerfEventProbe, KnownEventsMapToPerfTypeAndConfig) {
  auto clock = perf_event_id("software:cpu-clock");
  ASSERT_TRUE(clock);
  EXPECT_EQ(clock->type, static_cast<uint32_t>(PERF_TYPE_SOFTWARE));
  EXPECT_EQ(clock->config, static_cast<uint64_t>(PERF_COUNT_SW_CPU_CLOCK));
  auto cycles = perf_event_id("hardware:cpu-cycles");
  ASSERT_TRUE(cycles);
  EXPECT_EQ(cycles->type, static_cast<uint32_t>(PERF_TYPE_HARDWARE));
  EXPECT_FALSE(perf_event_id("software:no-such-event"));
  EXPECT_FALSE(perf_event_id("cpu-clock"));
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

class NoKprobes : public KernelProbes {
 public:
  std::string unavailable(const ProbeAlternative& alt) const override {
    return alt.type == ProbeType::kprobe || alt.type == ProbeType::kretprobe ? "no kprobes" : "";
  }
};

TEST(OptionalProbe, ReasonNamesEveryAlternative) {
  ProbeChain chain{"hold", {kprobe("mutex_unlock")}, true};
  ProbeChoice c = choose(chain, NoKprobes(), {});
  EXPECT_FALSE(c.index);
  EXPECT_EQ(c.why_none, "kprobe mutex_unlock: no kprobes");
}

}  // namespace
