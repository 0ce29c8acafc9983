// tracepoint_hits in the real pmcd: a probe list from a file next to
// bcc.conf (an exact name, a regular expression, a tracepoint that does not
// exist), limited to this test's process, counts the forks it makes.
#include <unistd.h>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* kTracepoints = R"(# tracepoints counted by the test
sched:sched_process_fork
sched:sched_process_e(xit|xec)   # a regular expression
nosuch:tracepoint
)";

std::string conf() {
  return "[pmda]\nmodules = tracepoint_hits\nmodule_failure_fatal = False\n\n"
         "[tracepoint_hits]\nmodule = tracepoint_hits\ncluster = 100\n"
         "tracepoints = pmdabcc-test-tracepoints.conf\nprocess = " +
         std::to_string(getpid()) + "\n";
}

class TracepointHits : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    if (integration_unavailable().empty())
      write_agent_file("pmdabcc-test-tracepoints.conf", kTracepoints);
    install_for_suite(conf());
  }
};

TEST_F(TracepointHits, CountsTheForksOfTheFollowedProcess) {
  uint64_t before = value("bcc.tracepoint.hits", "sched:sched_process_fork");
  ASSERT_EQ(fork_children(40), 40);
  uint64_t after = value("bcc.tracepoint.hits", "sched:sched_process_fork");
  EXPECT_GE(after - before, 40u) << "before " << before << " after " << after;
  // the children exit, but they are other processes than the one followed
  auto hits = pcp_.numbers("bcc.tracepoint.hits");
  EXPECT_TRUE(hits.count("sched:sched_process_exit")) << "the regex matched no exit tracepoint";
  EXPECT_TRUE(hits.count("sched:sched_process_exec"));
  EXPECT_FALSE(hits.count("sched:sched_process_free"));  // not matched by the regex
}

TEST_F(TracepointHits, CountsOnlyTheFollowedProcess) {
  uint64_t before = value("bcc.tracepoint.hits", "sched:sched_process_fork");
  // forks by another process
  int status = 0;
  run("for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done", &status);
  ASSERT_EQ(status, 0);
  // run() itself forks once (popen) from this process
  uint64_t after = value("bcc.tracepoint.hits", "sched:sched_process_fork");
  EXPECT_LE(after - before, 2u) << "forks of other processes were counted";
}

TEST_F(TracepointHits, MissingTracepointIsReportedByName) {
  auto state = pcp_.strings("bcc.pmda.module.state");
  EXPECT_EQ(state["tracepoint_hits"], "partial");
  auto reason = pcp_.strings("bcc.pmda.module.reason");
  EXPECT_NE(reason["tracepoint_hits"].find("running without probe 'nosuch:tracepoint'"),
            std::string::npos)
      << reason["tracepoint_hits"];
  EXPECT_NE(agent_->log().find("nosuch:tracepoint"), std::string::npos);
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  EXPECT_NE(probes["tracepoint_hits"].find("tracepoint sched:sched_process_fork"),
            std::string::npos)
      << probes["tracepoint_hits"];
}

TEST_F(TracepointHits, MetadataMatchesThePythonAgent) {
  MetricInfo info = pcp_.describe("bcc.tracepoint.hits");
  EXPECT_EQ(info.type, PM_TYPE_U64);
  EXPECT_EQ(info.semantics, PM_SEM_COUNTER);
  EXPECT_EQ(info.units, "count");
  EXPECT_EQ(pminfo_pmid("bcc.tracepoint.hits"), "149.100.0");
  EXPECT_EQ(info.oneline, "tracepoint hit count");
}

}  // namespace
}  // namespace bcc::test
