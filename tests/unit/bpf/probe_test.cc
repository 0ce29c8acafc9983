// Probe chains: the alternatives' names and macros, perf events, and the
// first alternative the kernel offers, or why there is none.
#include "bpf/probe.h"

#include <gtest/gtest.h>
#include <linux/perf_event.h>

#include <set>
#include <string>

namespace bcc {
namespace {

TEST(UserProbes, AlternativesNameBinarySymbolAndPid) {
  ProbeAlternative u = uprobe("/lib/libc.so.6", "malloc", "hit_0", 42);
  EXPECT_EQ(u.binary(), "/lib/libc.so.6");
  EXPECT_EQ(u.symbol(), "malloc");
  EXPECT_EQ(u.function_name(), "hit_0");
  EXPECT_EQ(u.describe(), "uprobe /lib/libc.so.6:malloc pid 42");
  ProbeAlternative s = usdt("/usr/lib/libjvm.so", "hotspot", "thread__start", "hit_1");
  EXPECT_EQ(s.binary(), "/usr/lib/libjvm.so");
  EXPECT_EQ(s.symbol(), "hotspot:thread__start");
  EXPECT_EQ(s.describe(), "usdt /usr/lib/libjvm.so:hotspot:thread__start");
  EXPECT_EQ(uretprobe("/bin/x", "f", "r").type, ProbeType::uretprobe);
  EXPECT_EQ(tracepoint("sched:sched_switch").function_name(), "tracepoint__sched__sched_switch");
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
}  // namespace bcc
