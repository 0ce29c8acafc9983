// sysfork in the real pmcd: the fork counter rises with the forks the test makes.
#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

class Sysfork : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    install_for_suite(R"([pmda]
modules = sysfork

[sysfork]
module = sysfork
cluster = 2
)");
  }
  static void TearDownTestSuite() { remove_for_suite(); }
};

TEST_F(Sysfork, CountsEveryFork) {
  ASSERT_EQ(status("sysfork"), "active: ");
  uint64_t before = pcp_.numbers("bcc.proc.sysfork").at("");
  const int forks = 50;
  ASSERT_EQ(fork_children(forks), forks);
  uint64_t after = pcp_.numbers("bcc.proc.sysfork").at("");
  EXPECT_GE(after - before, static_cast<uint64_t>(forks)) << "before " << before << " after " << after;
}

TEST_F(Sysfork, MetadataMatchesThePythonAgent) {
  MetricInfo info = pcp_.describe("bcc.proc.sysfork");
  EXPECT_EQ(info.type, PM_TYPE_U64);
  EXPECT_EQ(info.semantics, PM_SEM_COUNTER);
  EXPECT_EQ(info.units, "count");
  EXPECT_FALSE(info.has_indom);
  EXPECT_EQ(pminfo_pmid("bcc.proc.sysfork"), "149.2.0");
  EXPECT_NE(pcp_.strings("bcc.pmda.module.probes")["sysfork"].find(
                "fork=tracepoint sched:sched_process_fork"),
            std::string::npos);
}

}  // namespace
}  // namespace bcc::test
