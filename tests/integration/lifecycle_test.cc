// Nothing of ours stays in the kernel: after SIGKILL (the kernel releases
// what the process held) and pmcd restarting the agent, after 20 restarts in
// a row, and when the kernel refuses one module's program the others serve.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/installed_agent.h"
#include "support/pcp_client.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = runqlat,biolatency
module_failure_fatal = False

[runqlat]
module = runqlat
cluster = 4

[biolatency]
module = biolatency
cluster = 0
)";

bool running(int pid) {
  std::string stat = run("cat /proc/" + std::to_string(pid) + "/stat 2>/dev/null");
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && stat.compare(paren + 2, 1, "Z") != 0;
}

void stop(int pid, int sig) {
  ASSERT_EQ(kill(pid, sig), 0);
  for (int i = 0; i < 100 && running(pid); i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(running(pid));
}

int pmcd_pid() { return std::stoi(run("pgrep -x pmcd | head -1")); }

class Lifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string unavailable = integration_unavailable();
    if (!unavailable.empty()) GTEST_SKIP() << unavailable;
    agent_ = std::make_unique<InstalledAgent>();
  }
  std::unique_ptr<InstalledAgent> agent_;
  PcpClient pcp_;
};

TEST_F(Lifecycle, SigkillReleasesEverythingAndPmcdRestartsTheAgent) {
  ASSERT_TRUE(agent_->install(kConf)) << agent_->log();
  KernelObjects with_agent = kernel_objects();
  ASSERT_NE(loaded_programs(), "");
  stop(agent_->pid(), SIGKILL);
  EXPECT_EQ(programs_after_release(), "");
  ASSERT_TRUE(agent_->restart_exited()) << agent_->log();
  EXPECT_EQ(kernel_objects(), with_agent);
  uint64_t before = pcp_.total("bcc.runq.latency");
  scheduler_churn(2, 100);
  EXPECT_GT(pcp_.total("bcc.runq.latency"), before);
}

TEST_F(Lifecycle, TwentyRestartsLeakNoDescriptorsOrKernelObjects) {
  ASSERT_TRUE(agent_->install(kConf)) << agent_->log();
  KernelObjects baseline = kernel_objects();
  int pmcd_fds = open_fds(pmcd_pid());
  int agent_fds = open_fds(agent_->pid());
  for (int i = 0; i < 20; i++) {
    stop(agent_->pid(), SIGTERM);
    ASSERT_EQ(programs_after_release(), "") << "after restart " << i;
    ASSERT_TRUE(agent_->restart_exited()) << "restart " << i << "\n" << agent_->log();
  }
  EXPECT_EQ(kernel_objects(), baseline);
  EXPECT_EQ(open_fds(pmcd_pid()), pmcd_fds);
  EXPECT_EQ(open_fds(agent_->pid()), agent_fds);
}

// A program the verifier refuses fails its own module, with the kernel's
// reason in the log and status; the other module keeps serving.
TEST_F(Lifecycle, VerifierRefusalFailsOnlyThatModule) {
  char dir[] = "/var/tmp/pmdabcc-modules-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string modules = agent_->pmda_dir() + "/modules";
  run("cp " + modules + "/*.bpf " + dir);
  // dereferencing a null pointer: every kernel's verifier refuses it
  std::ofstream(std::string(dir) + "/runqlat.bpf", std::ios::app)
      << "\n#ifdef SWITCH_TRACEPOINT\nTRACEPOINT_PROBE(sched, sched_process_free) {\n"
         "    u64 *p = 0;\n    return *p;\n}\n#endif\n";
  // the refused function is attached under the switch probe's name
  run("sed -i 's/^TRACEPOINT_PROBE(sched, sched_switch)/TRACEPOINT_PROBE(sched, sched_switch_unused)/;"
      " s/sched_process_free/sched_switch/' " + std::string(dir) + "/runqlat.bpf");
  ASSERT_TRUE(agent_->install(kConf, std::string("-m ") + dir)) << agent_->log();
  auto state = pcp_.strings("bcc.pmda.module.state");
  EXPECT_EQ(state["runqlat"], "failed");
  EXPECT_EQ(state["biolatency"], "active");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["runqlat"];
  EXPECT_NE(reason.find("switch"), std::string::npos) << reason;
  EXPECT_TRUE(pcp_.numbers("bcc.runq.latency").empty());
  uint64_t before = pcp_.total("bcc.disk.all.latency");
  ASSERT_EQ(direct_writes("/var/tmp/pmdabcc-lifecycle-io", 16), "");
  EXPECT_GE(pcp_.total("bcc.disk.all.latency") - before, 16u);
  std::string log = agent_->log();
  size_t failures = 0;
  for (size_t p = 0; (p = log.find("Error: module [runqlat]", p)) != std::string::npos; p++)
    failures++;
  EXPECT_EQ(failures, 1u) << log;
  run(std::string("rm -rf ") + dir);
}

}  // namespace
}  // namespace bcc::test
