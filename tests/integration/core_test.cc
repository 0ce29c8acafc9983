// The agent end to end in the real pmcd: runqlat and biolatency values grow
// with work the test causes; metadata, labels and help as PCP tools show
// them; a misconfigured module fails alone; ./Remove leaves nothing behind.
#include <signal.h>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/processes.h"
#include "support/wait.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = runqlat,biolatency,broken
module_failure_fatal = False

[runqlat]
module = runqlat
cluster = 4

[biolatency]
module = biolatency
cluster = 0

[broken]
module = runqlat
cluster = 77
no_such_option = 1
)";

class Core : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
};

TEST_F(Core, RunqLatencyGrowsWithSchedulerWork) {
  uint64_t before = pcp_.total("bcc.runq.latency");
  scheduler_churn(4, 250);  // 1000 wakeups of our own
  uint64_t after = pcp_.total("bcc.runq.latency");
  EXPECT_GE(after - before, 1000u) << "before " << before << " after " << after;
  auto buckets = pcp_.numbers("bcc.runq.latency");
  EXPECT_TRUE(buckets.count("0-1"));
  EXPECT_GT(buckets.size(), 2u);  // the spinners delay the wakers past 1us
}

TEST_F(Core, DiskLatencyGrowsWithDirectIo) {
  uint64_t before = pcp_.total("bcc.disk.all.latency");
  std::string error = direct_writes("/var/tmp/pmdabcc-direct-io-test", 64);
  ASSERT_EQ(error, "");
  uint64_t after = pcp_.total("bcc.disk.all.latency");
  EXPECT_GE(after - before, 64u) << "before " << before << " after " << after;
}

TEST_F(Core, HistogramMetadataMatchesThePythonAgent) {
  for (const char* name : {"bcc.runq.latency", "bcc.disk.all.latency"}) {
    MetricInfo info = pcp_.describe(name);
    EXPECT_EQ(info.type, PM_TYPE_U64) << name;
    EXPECT_EQ(info.semantics, PM_SEM_COUNTER) << name;
    EXPECT_EQ(info.units, "microsec") << name;
    EXPECT_TRUE(info.has_indom) << name;
    EXPECT_FALSE(info.oneline.empty()) << name;
    EXPECT_GT(info.help.size(), info.oneline.size()) << name;
  }
  EXPECT_EQ(pcp_.describe("bcc.runq.latency").oneline,
            "run queue (scheduler) latency distribution");
}

TEST_F(Core, PminfoShowsPmidsSemanticsHelpAndLabels) {
  std::string d = run("pminfo -d bcc.runq.latency bcc.disk.all.latency");
  EXPECT_NE(d.find("InDom: 149.4"), std::string::npos) << d;
  EXPECT_NE(d.find("InDom: 149.0"), std::string::npos) << d;
  EXPECT_NE(d.find("Semantics: counter  Units: microsec"), std::string::npos) << d;
  EXPECT_EQ(pminfo_pmid("bcc.runq.latency"), "149.4.0");
  EXPECT_EQ(pminfo_pmid("bcc.disk.all.latency"), "149.0.0");

  std::string t = run("pminfo -T bcc.runq.latency");
  EXPECT_NE(t.find("microseconds"), std::string::npos) << t;

  std::string l = run("pminfo -l bcc.runq.latency");
  EXPECT_NE(l.find("\"bcc_module\":\"runqlat\""), std::string::npos) << l;
  EXPECT_NE(l.find("\"statistic\":\"histogram\""), std::string::npos) << l;
  EXPECT_NE(l.find("inst [0 or \"0-1\"] labels"), std::string::npos) << l;
  EXPECT_NE(l.find("\"lower_bound\":0"), std::string::npos) << l;
  EXPECT_NE(l.find("\"upper_bound\":1,"), std::string::npos) << l;
  EXPECT_NE(l.find("\"lower_bound\":2,"), std::string::npos) << l;
}

TEST_F(Core, StatusMetricsReportEachModule) {
  auto state = pcp_.strings("bcc.pmda.module.state");
  EXPECT_EQ(state["runqlat"], "active");
  EXPECT_EQ(state["biolatency"], "active");
  EXPECT_EQ(state["broken"], "failed");
  auto reason = pcp_.strings("bcc.pmda.module.reason");
  EXPECT_EQ(reason["runqlat"], "");
  EXPECT_NE(reason["broken"].find("bcc.conf:16: [broken] unknown key 'no_such_option'"),
            std::string::npos)
      << reason["broken"];
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  EXPECT_NE(probes["runqlat"].find("switch=tracepoint sched:sched_switch"), std::string::npos)
      << probes["runqlat"];
  // completions come in interrupts: a raw tracepoint is not skipped when one
  // lands while another tracepoint program runs (a lost sample)
  EXPECT_NE(probes["biolatency"].find("done=raw_tracepoint block_rq_complete"),
            std::string::npos)
      << probes["biolatency"];
  auto compile = pcp_.doubles("bcc.pmda.module.compile_time");
  EXPECT_GT(compile["runqlat"], 0.0);
}

TEST_F(Core, InstanceIdsSurviveARestart) {
  auto ids_before = run("pminfo -f bcc.runq.latency | grep inst | head -4");
  ASSERT_TRUE(agent_->install(kConf));
  scheduler_churn(2, 50);
  auto ids_after = run("pminfo -f bcc.runq.latency | grep inst | head -4");
  auto strip_values = [](std::string s) {
    std::string out;
    for (size_t p = 0; (p = s.find("inst [", p)) != std::string::npos; p++)
      out += s.substr(p, s.find(']', p) - p) + "\n";
    return out;
  };
  EXPECT_EQ(strip_values(ids_before), strip_values(ids_after));
}

TEST_F(Core, LogNamesHeadersAndProgress) {
  std::string log = agent_->log();
  EXPECT_NE(log.find("module [runqlat] (1 of 3): compiling runqlat"), std::string::npos) << log;
  EXPECT_NE(log.find("ready after"), std::string::npos) << log;
}

TEST_F(Core, SigtermDetachesEveryProbe) {
  int pid = agent_->pid();
  ASSERT_NE(pid, 0);
  ASSERT_NE(loaded_programs(), "");
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  wait_until([&] { return !running(pid); }, 5);
  EXPECT_FALSE(running(pid)) << "agent still running after SIGTERM";
  EXPECT_EQ(programs_after_release(), "");
  EXPECT_NE(agent_->log().find("detaching and exiting"), std::string::npos);
  // pmcd restarts an agent that exited when it is sent SIGHUP
  ASSERT_TRUE(agent_->install(kConf));
}

// Last: leaves the agent removed (the destructor reinstalls the original).
TEST_F(Core, ZZRemoveLeavesNoMetricAndNoProgram) {
  ASSERT_NE(loaded_programs(), "");
  std::string out = agent_->remove();
  EXPECT_FALSE(pcp_.exists("bcc.runq.latency")) << out;
  EXPECT_TRUE(pcp_.names("bcc").empty());
  wait_until([&] { return agent_->pid() == 0; }, 2);
  EXPECT_EQ(agent_->pid(), 0);
  EXPECT_EQ(programs_after_release(), "");
}

}  // namespace
}  // namespace bcc::test
