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
modules = runqlat,nobodys,unknown_user
process_refresh = 1
module_failure_fatal = False

[runqlat]
module = runqlat
cluster = 4
process = rq-filter-test

# the same name, narrowed to one user's processes
[nobodys]
module = runqlat
cluster = 204
prefix = bcc.nobodys.
process = rq-filter-test
process_user = nobody

[unknown_user]
module = runqlat
cluster = 205
prefix = bcc.unknown_user.
process = rq-filter-test
process_user = no-such-user-pmdabcc
)";

// A child named rq-filter-test (running as `uid` when >= 0) that waits for
// a byte on `go`, then churns; it closes `writer`, go's other end, so that
// closing it in the parent ends the wait.
pid_t start_target(int go, int uid = -1, int writer = -1) {
  pid_t pid = fork();
  if (pid == 0) {
    if (writer >= 0) close(writer);
    if (uid >= 0 && setuid(uid) != 0) _exit(1);
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

// Anyone can name a process rq-filter-test: process_user keeps the one of
// the user asked for (the first match would be the other, lower pid).
TEST_F(ProcessFilter, ProcessUserNarrowsTheMatchToThatUsersProcess) {
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  pid_t roots = start_target(go[0], -1, go[1]);
  pid_t nobodys = start_target(go[0], 65534, go[1]);
  ASSERT_GT(roots, 0);
  ASSERT_GT(nobodys, 0);
  const std::string followed =
      "module [nobodys]: following 1 process(es), first pid " + std::to_string(nobodys);
  wait_until([&] { return agent_->log().find(followed) != std::string::npos; }, 10);
  std::string log = agent_->log();
  EXPECT_NE(log.find(followed), std::string::npos) << log;
  EXPECT_EQ(log.find("module [nobodys]: following 2"), std::string::npos) << log;
  EXPECT_EQ(log.find("module [nobodys]: following 1 process(es), first pid " +
                     std::to_string(roots)),
            std::string::npos)
      << log;
  close(go[1]);  // the children read nothing and leave
  for (pid_t pid : {roots, nobodys}) waitpid(pid, nullptr, 0);
  close(go[0]);
}

TEST_F(ProcessFilter, AnUnknownUserFailsItsModuleNamingTheFileAndKey) {
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["unknown_user"], "failed");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["unknown_user"];
  EXPECT_NE(reason.find("bcc.conf:"), std::string::npos) << reason;
  EXPECT_NE(reason.find("[unknown_user] process_user = 'no-such-user-pmdabcc': "
                        "'no-such-user-pmdabcc' is neither a user name nor a uid"),
            std::string::npos)
      << reason;
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["runqlat"], "active");
}

}  // namespace
}  // namespace bcc::test
