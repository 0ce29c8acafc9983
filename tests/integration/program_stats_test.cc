// What each program costs: with [pmda] prog_stats the kernel counts every
// run of every program; map fill levels are exported beside them.
#include "support/agent_suite.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = runqlat
prog_stats = True

[runqlat]
module = runqlat
cluster = 4
)";

class ProgramStats : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
};

TEST_F(ProgramStats, RunCountGrowsWithEventsAndMapsReportTheirFill) {
  const std::string wakeups = "runqlat::tracepoint__sched__sched_wakeup";
  uint64_t before = pcp_.numbers("bcc.pmda.prog.run_count")[wakeups];
  scheduler_churn(4, 250);  // at least 1000 wakeups of our own threads
  auto counts = pcp_.numbers("bcc.pmda.prog.run_count");
  EXPECT_GE(counts[wakeups] - before, 1000u);
  EXPECT_GT(counts["runqlat::tracepoint__sched__sched_switch"], 0u);
  EXPECT_GT(pcp_.numbers("bcc.pmda.prog.run_time")[wakeups], 0u);
  EXPECT_EQ(pcp_.describe("bcc.pmda.prog.run_time").units, "nanosec");
  // skipped runs are kept whether or not statistics are on: every program has a value
  auto missed = pcp_.numbers("bcc.pmda.prog.missed");
  EXPECT_EQ(missed.size(), counts.size());
  EXPECT_TRUE(missed.count(wakeups));

  auto capacity = pcp_.numbers("bcc.pmda.map.capacity");
  EXPECT_EQ(capacity["runqlat::dist"], 64u);
  EXPECT_EQ(capacity["runqlat::start"], 10240u);
  auto entries = pcp_.numbers("bcc.pmda.map.entries");
  EXPECT_EQ(entries["runqlat::dist"], 64u);
  EXPECT_LE(entries["runqlat::start"], 10240u);
  EXPECT_NE(agent_->log().find("BPF run-time statistics enabled"), std::string::npos);
}

}  // namespace
}  // namespace bcc::test
