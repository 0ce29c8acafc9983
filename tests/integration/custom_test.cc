// Custom programs in the real pmcd: BCC programs named by bcc.conf
// sections (module = custom) whose maps become bcc.custom.<section>.<map>
// metrics. A run queue histogram measured by a custom program agrees with
// the runqlat module's; system calls show by name and by "PID cmd"; broken
// programs and exports fail their section with the reason in its status.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "support/agent_suite.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const int kCalls = 300;

void getpriority_calls(int n) {
  for (int i = 0; i < n; i++) syscall(SYS_getpriority, PRIO_PROCESS, 0);
}

// "001379 /usr/sbin/sshd": how per-process metrics name this process
std::string own_instance_name() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  char pid[16];
  snprintf(pid, sizeof(pid), "%06d", getpid());
  return std::string(pid) + " " + raw.substr(0, raw.find_first_of(std::string("\0 ", 2)));
}

// The compile error is on line 5 of the program as written.
const char* const kBrokenProgram = R"(// a program that does not compile
BPF_HASH(counts, u32, u64);
TRACEPOINT_PROBE(sched, sched_switch) {
    u32 cpu = bpf_get_smp_processor_id();
    counts.increment(cpu, no_such_variable);
    return 0;
}
)";

const char* const kSmallValues = R"(BPF_HASH(small, u32, u32);
TRACEPOINT_PROBE(sched, sched_switch) {
    u32 cpu = bpf_get_smp_processor_id(), one = 1;
    small.update(&cpu, &one);
    return 0;
}
)";

class Custom : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    write_agent_file("custom_test_broken.bpf", kBrokenProgram);
    write_agent_file("custom_test_small.bpf", kSmallValues);
    install_for_suite(R"([pmda]
modules = runqlat,myrunq,syscalls,own,broken,nosuchmap,smallvalues
module_failure_fatal = False

[runqlat]
module = runqlat
cluster = 4

[myrunq]
module = custom
cluster = 200
program = custom/myrunq.bpf
export = dist:histogram:usec, switches:counter:count:key=u32:cpu

[syscalls]
module = custom
cluster = 201
program = custom/syscalls.bpf

[own]
module = custom
cluster = 202
program = custom/syscalls.bpf
process = )" + std::to_string(getpid()) + R"(

[broken]
module = custom
cluster = 203
program = custom_test_broken.bpf
export = counts:counter

[nosuchmap]
module = custom
cluster = 204
program = custom/syscalls.bpf
export = nosuch:counter

[smallvalues]
module = custom
cluster = 205
program = custom_test_small.bpf
export = small:counter:key=u32:cpu
)");
  }
};

TEST_F(Custom, ProgramsRunTheirTracepoints) {
  for (const char* section : {"myrunq", "syscalls", "own"})
    EXPECT_EQ(status(section), "active: ") << section;
  std::string probes = pcp_.strings("bcc.pmda.module.probes")["myrunq"];
  EXPECT_NE(probes.find("tracepoint sched:sched_switch"), std::string::npos) << probes;
  EXPECT_NE(probes.find("tracepoint sched:sched_wakeup_new"), std::string::npos) << probes;
}

// The share of each bucket in the counts a workload added.
std::map<std::string, double> shares(const std::map<std::string, uint64_t>& before,
                                     const std::map<std::string, uint64_t>& after,
                                     uint64_t& total) {
  std::map<std::string, double> out;
  total = 0;
  for (const auto& [bucket, count] : after) {
    auto it = before.find(bucket);
    uint64_t added = count - (it == before.end() ? 0 : it->second);
    out[bucket] = static_cast<double>(added);
    total += added;
  }
  for (auto& [bucket, share] : out) share = total ? share / total : 0;
  return out;
}

// "4-7" -> 4
uint64_t lower_bound_of(const std::string& bucket) { return std::stoull(bucket); }

TEST_F(Custom, HistogramAgreesWithRunqlat) {
  auto module_before = pcp_.numbers("bcc.runq.latency");
  auto custom_before = pcp_.numbers("bcc.custom.myrunq.dist");
  scheduler_churn(8, 500);
  auto module_after = pcp_.numbers("bcc.runq.latency");
  auto custom_after = pcp_.numbers("bcc.custom.myrunq.dist");
  uint64_t module_total = 0, custom_total = 0;
  auto module_shares = shares(module_before, module_after, module_total);
  auto custom_shares = shares(custom_before, custom_after, custom_total);
  ASSERT_GT(module_total, 2000u) << "the workload should have made thousands of wakeups";
  // the same events, counted by two programs read a moment apart
  double ratio = static_cast<double>(custom_total) / static_cast<double>(module_total);
  EXPECT_GT(ratio, 0.9) << custom_total << " vs " << module_total;
  EXPECT_LT(ratio, 1.1) << custom_total << " vs " << module_total;
  // the same shape: cumulative shares bucket by bucket stay close
  std::vector<std::string> buckets;
  for (const auto& [bucket, share] : module_shares) buckets.push_back(bucket);
  for (const auto& [bucket, share] : custom_shares)
    if (!module_shares.count(bucket)) buckets.push_back(bucket);
  std::sort(buckets.begin(), buckets.end(), [](const std::string& a, const std::string& b) {
    return lower_bound_of(a) < lower_bound_of(b);
  });
  double module_cumulative = 0, custom_cumulative = 0, widest = 0;
  for (const std::string& bucket : buckets) {
    module_cumulative += module_shares[bucket];
    custom_cumulative += custom_shares[bucket];
    widest = std::max(widest, std::fabs(module_cumulative - custom_cumulative));
  }
  EXPECT_LT(widest, 0.05) << "cumulative distributions differ by " << widest;
  // and the metric is a histogram as the runqlat module's is
  MetricInfo info = pcp_.describe("bcc.custom.myrunq.dist");
  EXPECT_EQ(info.units, "microsec");
  EXPECT_EQ(info.oneline, "run queue latency");
  std::string labels = run("pminfo -l bcc.custom.myrunq.dist");
  EXPECT_NE(labels.find("\"statistic\":\"histogram\""), std::string::npos) << labels;
  EXPECT_NE(labels.find("\"bcc_module\":\"myrunq\""), std::string::npos) << labels;
}

TEST_F(Custom, CounterKeyedByCpu) {
  uint64_t before = pcp_.total("bcc.custom.myrunq.switches");
  scheduler_churn(2, 200);
  auto after = pcp_.numbers("bcc.custom.myrunq.switches");
  uint64_t total = 0;
  for (const auto& [cpu, count] : after) {
    EXPECT_EQ(cpu.rfind("cpu", 0), 0u) << cpu;
    total += count;
  }
  EXPECT_GE(total - before, 400u);
}

// What an operator sees (printed: the README shows it)
TEST_F(Custom, PminfoShowsTheProgramsMetrics) {
  std::string out = run("pminfo -f bcc.custom.myrunq 2>&1");
  std::cout << out;
  EXPECT_NE(out.find("bcc.custom.myrunq.dist"), std::string::npos) << out;
  EXPECT_NE(out.find("\"0-1\"] value"), std::string::npos) << out;
  EXPECT_NE(out.find("bcc.custom.myrunq.switches"), std::string::npos) << out;
  EXPECT_NE(out.find("\"cpu0\"] value"), std::string::npos) << out;
  std::string help = run("pminfo -tT bcc.custom.myrunq.switches 2>&1");
  std::cout << help;
  EXPECT_NE(help.find("context switches by CPU"), std::string::npos) << help;
}

TEST_F(Custom, CounterKeyedBySyscallShowsNames) {
  uint64_t before = value("bcc.custom.syscalls.calls", "getpriority");
  getpriority_calls(kCalls);
  uint64_t after = value("bcc.custom.syscalls.calls", "getpriority");
  EXPECT_GE(after - before, static_cast<uint64_t>(kCalls)) << before << " -> " << after;
  auto calls = pcp_.numbers("bcc.custom.syscalls.calls");
  EXPECT_TRUE(calls.count("read") || calls.count("openat")) << calls.size() << " names";
}

TEST_F(Custom, PidKeyedMapShowsPidAndCommand) {
  std::string me = own_instance_name();
  ASSERT_NE(me.find(' '), std::string::npos) << me;  // "PID cmd"
  uint64_t before = value("bcc.custom.syscalls.by_process", me);
  getpriority_calls(kCalls);
  uint64_t after = value("bcc.custom.syscalls.by_process", me);
  EXPECT_GE(after - before, static_cast<uint64_t>(kCalls)) << "instance '" << me << "'";
}

TEST_F(Custom, ProcessOptionLimitsTheProgram) {
  getpriority_calls(kCalls);
  auto mine = pcp_.numbers("bcc.custom.own.by_process");
  ASSERT_FALSE(mine.empty());
  for (const auto& [process, count] : mine)
    EXPECT_EQ(std::stoi(process), getpid()) << process;
  // the unfiltered program sees more processes (pmcd answering us, at least)
  EXPECT_GT(pcp_.numbers("bcc.custom.syscalls.by_process").size(), 1u);
}

TEST_F(Custom, CompileErrorInStatusWithItsLine) {
  auto state = pcp_.strings("bcc.pmda.module.state");
  auto reason = pcp_.strings("bcc.pmda.module.reason");
  EXPECT_EQ(state["broken"], "failed");
  EXPECT_NE(reason["broken"].find("compile failed"), std::string::npos) << reason["broken"];
  EXPECT_NE(reason["broken"].find("custom_test_broken.bpf:5:"), std::string::npos)
      << reason["broken"];
  EXPECT_NE(reason["broken"].find("no_such_variable"), std::string::npos) << reason["broken"];
  EXPECT_NE(agent_->log().find("custom_test_broken.bpf:5:"), std::string::npos);
}

TEST_F(Custom, UnknownMapAndWrongValueSizeFailTheirSection) {
  auto state = pcp_.strings("bcc.pmda.module.state");
  auto reason = pcp_.strings("bcc.pmda.module.reason");
  EXPECT_EQ(state["nosuchmap"], "failed");
  EXPECT_NE(reason["nosuchmap"].find("the program has no map 'nosuch'"), std::string::npos)
      << reason["nosuchmap"];
  EXPECT_NE(reason["nosuchmap"].find("calls"), std::string::npos) << reason["nosuchmap"];
  EXPECT_EQ(state["smallvalues"], "failed");
  EXPECT_NE(reason["smallvalues"].find("4-byte values"), std::string::npos)
      << reason["smallvalues"];
  // the other programs keep running
  EXPECT_EQ(state["syscalls"], "active");
}

}  // namespace
}  // namespace bcc::test
