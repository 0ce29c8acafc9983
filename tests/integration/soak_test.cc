// Under load: storms of system calls, processes and loopback TCP connections
// while 4 PCP clients fetch every bcc.* metric as fast as they can, with
// every module this agent has enabled. No fetch fails, the agent lives on
// with flat memory, and events its tiny perf buffers could not hold are
// counted in bcc.pmda.module.lost_events. Modules that follow a process
// (the JVM's USDT probes) follow the suite's own JVM.
//
// A short soak here (BCC_SOAK_SECONDS, default 75; BCC_SOAK_CLIENTS,
// default 4; BCC_SOAK_MODULES, a comma-separated list of module types to
// run instead of all); bench/soak runs the same for 10 minutes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "client/soak.h"
#include "support/installed_agent.h"
#include "support/module_set.h"
#include "support/pcp_client.h"
#include "support/pcp_tools.h"
#include "support/soak_conf.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

// The steady climb allowed after warm-up (see bench::MemorySlope), in kB a
// second: 2 kB/s is 7 MB an hour, a leak an operator would see in a day.
constexpr double kMemorySlopeKbPerS = 2.0;

// Where the agent's private memory is, mapping by mapping (the largest
// first), for a failure's message.
std::string private_memory_by_mapping(int pid) {
  return run("awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6; if (name==\"\") name=\"[anon]\"} "
             "/^Private_Dirty:/{kb[name]+=$2} END{for (n in kb) if (kb[n]) print kb[n], n}' "
             "/proc/" + std::to_string(pid) + "/smaps | sort -rn | head -12");
}

// Every module type the installed agent has, or those BCC_SOAK_MODULES names
// (to find which module a soak's finding comes from).
std::vector<std::string> soak_module_types(const std::string& pmda_dir) {
  std::vector<std::string> types = installed_module_types(pmda_dir);
  const char* chosen = getenv("BCC_SOAK_MODULES");
  if (!chosen || !*chosen) return types;
  std::string list = std::string(",") + chosen + ",";
  std::vector<std::string> out;
  for (const std::string& t : types)
    if (list.find("," + t + ",") != std::string::npos) out.push_back(t);
  return out;
}

int pmcd_pid() {
  std::string out = run("pgrep -x pmcd | head -1");
  return out.empty() ? 0 : std::stoi(out);
}

class Soak : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    unavailable_ = integration_unavailable();
    if (!unavailable_.empty()) return;
    agent_ = new InstalledAgent();
    // the process the modules that follow one follow: up and its libjvm.so
    // mapped (one round of work done) before the agent looks for it
    std::string followed = start_followed_jvm(jvm_, jvm_unavailable_);
    conf_ = soak_conf(read_text(shipped_conf_path()), soak_module_types(agent_->pmda_dir()),
                      1, {"prog_stats = True"}, followed);
    printf("soak modules: ");
    for (const std::string& s : conf_.sections) printf("%s ", s.c_str());
    printf("\nperf buffers of 1 page: ");
    for (const std::string& s : conf_.tiny_buffers) printf("%s ", s.c_str());
    if (!conf_.following.empty()) printf("\nfollowing process %s: ", followed.c_str());
    for (const std::string& s : conf_.following) printf("%s ", s.c_str());
    for (const std::string& t : conf_.unconfigured)
      printf("\nmodule type %s left out: the shipped bcc.conf has no section for it", t.c_str());
    printf("\n");
    installed_ = agent_->install(conf_.text);
    if (!installed_) return;

    printf("soak begins %s", run("date -u '+%Y-%m-%d %H:%M UTC,' | tr -d '\\n'; "
                                 "echo \" $(nproc) CPUs, kernel $(uname -r), load average "
                                 "$(cut -d' ' -f1-3 /proc/loadavg)\"").c_str());
    PcpClient pcp;
    modules_ = ModuleSet::read(pcp);
    agent_pid_ = agent_->pid();
    pmcd_pid_ = pmcd_pid();
    uint64_t runs_before = pcp.total("bcc.pmda.prog.run_count");

    bench::SoakOptions options;
    options.agent_pid = agent_pid_;
    options.seconds = env_number("BCC_SOAK_SECONDS", 75);
    options.clients = static_cast<int>(env_number("BCC_SOAK_CLIENTS", 4));
    try {
      report_ = bench::run_soak(options);
    } catch (const std::exception& e) {
      soak_error_ = e.what();
      return;
    }
    bench::print_report(stdout, report_);
    try {
      program_runs_ = pcp.total("bcc.pmda.prog.run_count") - runs_before;
      lost_events_ = pcp.numbers("bcc.pmda.module.lost_events");
      modules_after_ = ModuleSet::read(pcp);
    } catch (const std::exception& e) {
      after_error_ = e.what();
    }
    printf("BPF program runs: %.0f/s\n", static_cast<double>(program_runs_) / report_.seconds);
    for (const auto& [section, lost] : lost_events_)
      printf("lost events, %s: %llu\n", section.c_str(), static_cast<unsigned long long>(lost));
    fflush(stdout);
  }
  static void TearDownTestSuite() {
    delete agent_;
    agent_ = nullptr;
    delete jvm_;  // ends its input: it exits
    jvm_ = nullptr;
  }
  void SetUp() override {
    if (!unavailable_.empty()) GTEST_SKIP() << unavailable_;
    ASSERT_TRUE(installed_) << agent_->log();
    ASSERT_EQ(soak_error_, "");
  }

  static inline std::string unavailable_, soak_error_, after_error_, jvm_unavailable_;
  static inline TargetProcess* jvm_ = nullptr;
  static inline InstalledAgent* agent_ = nullptr;
  static inline bool installed_ = false;
  static inline SoakConf conf_;
  static inline ModuleSet modules_, modules_after_;
  static inline int agent_pid_ = 0, pmcd_pid_ = 0;
  static inline bench::SoakReport report_;
  static inline uint64_t program_runs_ = 0;
  static inline std::map<std::string, uint64_t> lost_events_;
};

TEST_F(Soak, EveryModuleThatCanRunHereRuns) {
  for (const std::string& section : conf_.sections) {
    std::string why = modules_.unavailable(section);
    bool follows = std::count(conf_.following.begin(), conf_.following.end(), section) > 0;
    if (why.empty() && follows && !jvm_unavailable_.empty())
      why = "module " + section + " follows a JVM: " + jvm_unavailable_;
    if (!why.empty()) {
      printf("not under load: %s\n", why.c_str());
      continue;
    }
    EXPECT_TRUE(modules_.active(section)) << section << ": " << modules_.reason(section);
  }
}

TEST_F(Soak, StormsRanAndEveryFetchSucceeded) {
  EXPECT_TRUE(report_.workload_errors.empty()) << report_.workload_errors.front();
  EXPECT_GT(report_.syscalls, 0u);
  EXPECT_GT(report_.execs, 0u);
  EXPECT_GT(report_.tcp_connections, 0u);
  EXPECT_GT(program_runs_, 0u) << "the storms reached no BPF program";
  EXPECT_GT(report_.fetches, 0u);
  EXPECT_EQ(report_.fetch_errors, 0u) << "first error: " << report_.first_fetch_error;
}

TEST_F(Soak, AgentSurvivedAndPmcdStillServesIt) {
  EXPECT_FALSE(report_.agent_gone);
  EXPECT_EQ(agent_->pid(), agent_pid_) << "the agent was restarted\n" << agent_->log();
  EXPECT_EQ(pmcd_pid(), pmcd_pid_);
  EXPECT_EQ(after_error_, "") << "pmcd no longer serves the agent";
  for (const std::string& section : conf_.sections)
    EXPECT_EQ(modules_after_.active(section), modules_.active(section)) << section;
}

// Private memory only: VmRSS also counts file pages (the agent's own code,
// libraries) that the kernel drops and reads again as it likes.
TEST_F(Soak, AgentMemoryStayedFlatAfterWarmUp) {
  ASSERT_GE(report_.memory.size(), 6u);
  bench::MemorySlope slope = bench::private_dirty_slope(report_);
  ASSERT_GE(slope.intervals, 4u) << "too few memory samples after warm-up";
  EXPECT_LE(slope.median_kb_per_s, kMemorySlopeKbPerS)
      << "Private_Dirty by mapping (kB):\n" << private_memory_by_mapping(agent_pid_);
}

TEST_F(Soak, LostEventsAreExportedForEveryModule) {
  for (const std::string& section : conf_.sections) {
    if (!modules_.active(section)) continue;
    EXPECT_EQ(lost_events_.count(section), 1u) << section;
  }
}

TEST_F(Soak, OnePagePerfBuffersCountTheEventsTheyLose) {
  std::vector<std::string> active;
  for (const std::string& section : conf_.tiny_buffers)
    if (modules_.active(section)) active.push_back(section);
  if (active.empty())
    GTEST_SKIP() << "no module with a perf buffer runs in this agent (module types: "
                 << testing::PrintToString(installed_module_types(agent_->pmda_dir())) << ")";
  uint64_t lost = 0;
  for (const std::string& section : active) lost += lost_events_[section];
  EXPECT_GT(lost, 0u) << "no event lost by " << testing::PrintToString(active)
                      << " with 1-page buffers under the storm";
}

}  // namespace
}  // namespace bcc::test
