// What each program costs: with [pmda] prog_stats the kernel counts every
// run of every program; map fill levels are exported beside them.
#include <gtest/gtest.h>

#include "support/installed_agent.h"
#include "support/pcp_client.h"
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

TEST(ProgramStats, RunCountGrowsWithEventsAndMapsReportTheirFill) {
  std::string unavailable = integration_unavailable();
  if (!unavailable.empty()) GTEST_SKIP() << unavailable;
  InstalledAgent agent;
  ASSERT_TRUE(agent.install(kConf)) << agent.log();
  PcpClient pcp;
  const std::string wakeups = "runqlat::tracepoint__sched__sched_wakeup";
  uint64_t before = pcp.numbers("bcc.pmda.prog.run_count")[wakeups];
  scheduler_churn(4, 250);  // at least 1000 wakeups of our own threads
  auto counts = pcp.numbers("bcc.pmda.prog.run_count");
  EXPECT_GE(counts[wakeups] - before, 1000u);
  EXPECT_GT(counts["runqlat::tracepoint__sched__sched_switch"], 0u);
  EXPECT_GT(pcp.numbers("bcc.pmda.prog.run_time")[wakeups], 0u);
  EXPECT_EQ(pcp.describe("bcc.pmda.prog.run_time").units, "nanosec");

  auto capacity = pcp.numbers("bcc.pmda.map.capacity");
  EXPECT_EQ(capacity["runqlat::dist"], 64u);
  EXPECT_EQ(capacity["runqlat::start"], 10240u);
  auto entries = pcp.numbers("bcc.pmda.map.entries");
  EXPECT_EQ(entries["runqlat::dist"], 64u);
  EXPECT_LE(entries["runqlat::start"], 10240u);
  EXPECT_NE(agent.log().find("BPF run-time statistics enabled"), std::string::npos);
}

}  // namespace
}  // namespace bcc::test
