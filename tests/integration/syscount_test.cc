// syscount in the real pmcd: named system call counters rise with the calls
// the test makes; the process, failed and errno filters keep out what they
// should; latency gives averages; a followed process that exited before the
// agent was asked shows its exact counts for its grace period (3 s here).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

const int kCalls = 200;

void getpriority_calls(int n) {
  for (int i = 0; i < n; i++) syscall(SYS_getpriority, PRIO_PROCESS, 0);
}

void failing_calls(int n) {
  for (int i = 0; i < n; i++) {
    syscall(SYS_openat, AT_FDCWD, "/nonexistent/pmdabcc-syscount-test", O_RDONLY);  // ENOENT
    syscall(SYS_close, -1);                                                          // EBADF
  }
}

class Syscount : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    install_for_suite(R"([pmda]
modules = syscount,failed,enoent,followed,details
module_failure_fatal = False
process_refresh = 1

[syscount]
module = syscount
cluster = 15
latency = True

[details]
module = syscount
cluster = 415
prefix = bcc.details.
details = True
latency = True
process = .*syscount_test.*
exited_grace = 3

[failed]
module = syscount
cluster = 115
prefix = bcc.failed.
failed = True

[enoent]
module = syscount
cluster = 215
prefix = bcc.enoent.
errno = ENOENT

[followed]
module = syscount
cluster = 315
prefix = bcc.followed.
process = )" + std::to_string(getpid()) + "\n");
  }
  static void TearDownTestSuite() { remove_for_suite(); }
};

TEST_F(Syscount, EveryModuleRuns) {
  for (const char* section : {"syscount", "failed", "enoent", "followed", "details"})
    EXPECT_EQ(status(section), "active: ") << section;
  EXPECT_NE(pcp_.strings("bcc.pmda.module.probes")["syscount"].find(
                "exit=tracepoint raw_syscalls:sys_exit"),
            std::string::npos);
}

TEST_F(Syscount, NamedInstanceCountsTheCalls) {
  std::string mine = std::to_string(getpid()) + "::getpriority";
  uint64_t before = value("bcc.proc.syscall.count", "getpriority");
  uint64_t mine_before = value("bcc.details.proc.syscall.count", mine);
  getpriority_calls(kCalls);
  uint64_t after = value("bcc.proc.syscall.count", "getpriority");
  EXPECT_GE(after - before, static_cast<uint64_t>(kCalls)) << before << " -> " << after;
  uint64_t mine_after = value("bcc.details.proc.syscall.count", mine);
  EXPECT_GE(mine_after - mine_before, static_cast<uint64_t>(kCalls)) << "instance " << mine;
  EXPECT_GT(value("bcc.proc.syscall.count", "openat") +
                value("bcc.proc.syscall.count", "read"),
            0u);
}

TEST_F(Syscount, LatencyGivesAverages) {
  uint64_t cml_before = value("bcc.proc.syscall.latency.cml", "clock_nanosleep");
  timespec pause{0, 1000000};
  for (int i = 0; i < 5; i++) clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, nullptr);
  EXPECT_GT(value("bcc.proc.syscall.latency.avg", "clock_nanosleep"), 0u);
  EXPECT_GT(value("bcc.proc.syscall.latency.cml", "clock_nanosleep"), cml_before);
  std::string mine = std::to_string(getpid()) + "::clock_nanosleep";
  EXPECT_GT(value("bcc.details.proc.syscall.latency.avg", mine), 0u) << mine;
}

// How many processes the [details] section follows, as its last "following
// N process(es)" line says (-1 before any).
int followed_by_details(const std::string& log) {
  const std::string line = "module [details]: following ";
  size_t at = log.rfind(line);
  return at == std::string::npos ? -1 : std::atoi(log.c_str() + at + line.size());
}

TEST_F(Syscount, AProcessThatExitedBeforeTheFetchShowsItsExactCounts) {
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  int before = followed_by_details(agent_->log());
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(go[1]);
    char c;
    alarm(60);
    if (read(go[0], &c, 1) != 1) _exit(2);
    getpriority_calls(kCalls);
    _exit(0);
  }
  close(go[0]);
  // the filter follows the child (same command line) from its next rescan
  bool followed = wait_until([&] { return followed_by_details(agent_->log()) > before; }, 10);
  if (followed) {
    EXPECT_EQ(write(go[1], "g", 1), 1);
  }
  close(go[1]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(followed) << "the child was never followed: " << agent_->log();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  // the first fetch since the child ran: it is gone, its counts are not
  std::string theirs = std::to_string(child) + "::getpriority";
  auto noticed = std::chrono::steady_clock::now();
  EXPECT_EQ(value("bcc.details.proc.syscall.count", theirs), static_cast<uint64_t>(kCalls))
      << theirs;
  EXPECT_EQ(pcp_.numbers("bcc.details.proc.syscall.latency.cml").count(theirs), 1u) << theirs;
  EXPECT_GT(value("bcc.details.proc.syscall.latency.avg", theirs), 0u) << theirs;
  sleep(1);
  EXPECT_EQ(value("bcc.details.proc.syscall.count", theirs), static_cast<uint64_t>(kCalls))
      << theirs;
  // then retired, once exited_grace = 3 s have passed since a fetch noticed it
  EXPECT_TRUE(wait_until([&] {
    return pcp_.numbers("bcc.details.proc.syscall.count").count(theirs) == 0;
  }, 10)) << theirs << " kept past its grace";
  EXPECT_GE(std::chrono::steady_clock::now() - noticed, std::chrono::seconds(3));
  EXPECT_EQ(pcp_.numbers("bcc.details.proc.syscall.latency.avg").count(theirs), 0u);
}

TEST_F(Syscount, FailedCountsOnlyErrors) {
  uint64_t close_before = value("bcc.failed.proc.syscall.count", "close");
  getpriority_calls(kCalls);
  failing_calls(kCalls);
  EXPECT_GE(value("bcc.failed.proc.syscall.count", "close") - close_before,
            static_cast<uint64_t>(kCalls));
  // getpriority(2) does not fail for our own process
  EXPECT_EQ(value("bcc.failed.proc.syscall.count", "getpriority"), 0u);
}

TEST_F(Syscount, ErrnoCountsOnlyThatError) {
  uint64_t openat_before = value("bcc.enoent.proc.syscall.count", "openat");
  failing_calls(kCalls);
  EXPECT_GE(value("bcc.enoent.proc.syscall.count", "openat") - openat_before,
            static_cast<uint64_t>(kCalls));
  // close(-1) fails with EBADF, never ENOENT
  EXPECT_EQ(value("bcc.enoent.proc.syscall.count", "close"), 0u);
}

TEST_F(Syscount, ProcessFilterFollowsOnlyThisProcess) {
  uint64_t before = value("bcc.followed.proc.syscall.count", "getpriority");
  const int theirs = 5 * kCalls;
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    getpriority_calls(theirs);
    _exit(0);
  }
  waitpid(child, nullptr, 0);
  getpriority_calls(kCalls);
  EXPECT_EQ(pcp_.numbers("bcc.followed.proc.syscall.count").count(std::to_string(getpid()) +
                                                                   "::getpriority"),
            0u)
      << "per-process instances without 'details'";
  uint64_t rise = value("bcc.followed.proc.syscall.count", "getpriority") - before;
  EXPECT_GE(rise, static_cast<uint64_t>(kCalls));
  EXPECT_LT(rise, static_cast<uint64_t>(theirs)) << "the child's calls were counted";
}

TEST_F(Syscount, MetadataMatchesThePythonAgent) {
  EXPECT_EQ(pminfo_pmid("bcc.proc.syscall.count"), "149.15.0");
  EXPECT_EQ(pminfo_pmid("bcc.proc.syscall.latency.avg"), "149.15.1");
  EXPECT_EQ(pminfo_pmid("bcc.proc.syscall.latency.cml"), "149.15.2");
  MetricInfo avg = pcp_.describe("bcc.proc.syscall.latency.avg");
  EXPECT_EQ(avg.semantics, PM_SEM_INSTANT);
  EXPECT_EQ(avg.units, "nanosec");
  MetricInfo cml = pcp_.describe("bcc.proc.syscall.latency.cml");
  EXPECT_EQ(cml.semantics, PM_SEM_COUNTER);
  EXPECT_EQ(cml.type, PM_TYPE_U64);
  EXPECT_EQ(pcp_.describe("bcc.proc.syscall.count").units, "count");
}

}  // namespace
}  // namespace bcc::test
