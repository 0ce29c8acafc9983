// The `process` filter, through the real pmcd: runqlat limited to a process
// that does not exist yet counts nothing, then counts that process's
// wakeups once process_refresh has found it, and not those of others.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/agent_suite.h"
#include "support/wait.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = runqlat
process_refresh = 1

[runqlat]
module = runqlat
cluster = 4
process = rq-filter-test
)";

// A child named rq-filter-test that waits for a byte on `go`, then churns.
pid_t start_target(int go) {
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_NAME, "rq-filter-test");
    char c;
    if (read(go, &c, 1) != 1) _exit(1);
    scheduler_churn(4, 250);
    _exit(0);
  }
  return pid;
}

class ProcessFilter : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
};

TEST_F(ProcessFilter, RunqlatCountsOnlyTheFollowedProcess) {
  // nobody matches: other processes' scheduling is not counted
  uint64_t idle = pcp_.total("bcc.runq.latency");
  scheduler_churn(4, 250);
  EXPECT_EQ(pcp_.total("bcc.runq.latency"), idle);
  EXPECT_NE(agent_->log().find("activation postponed"), std::string::npos) << agent_->log();

  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t child = start_target(pipefd[0]);
  ASSERT_GT(child, 0);
  // wait for the agent's next rescan to pick the child up
  wait_until([&] { return agent_->log().find("following 1 process") != std::string::npos; }, 10);
  ASSERT_NE(agent_->log().find("following 1 process"), std::string::npos) << agent_->log();
  uint64_t before = pcp_.total("bcc.runq.latency");
  ASSERT_EQ(write(pipefd[1], "x", 1), 1);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  uint64_t after = pcp_.total("bcc.runq.latency");
  EXPECT_GE(after - before, 500u) << "before " << before << " after " << after;
  close(pipefd[0]);
  close(pipefd[1]);
}

}  // namespace
}  // namespace bcc::test
