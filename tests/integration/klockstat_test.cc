// klockstat through the real pmcd: threads writing to one pipe contend for
// its mutex (pipe_write and pipe_read lock pipe->mutex); the wait ("spin")
// figures of a pipe caller rise. Hold times need kprobes: where the kernel
// has none, they have no values and the status says so.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "support/agent_suite.h"
#include "support/kernel_features.h"
#include "support/pcp_tools.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = klockstat
module_failure_fatal = False

[klockstat]
module = klockstat
cluster = 31
)";

// Writers and readers hammer one non-blocking pipe for `seconds`; every
// read and write takes the pipe's mutex, full or empty.
void pipe_contention(int seconds) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK) != 0) return;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++) {
    threads.emplace_back([&] {
      char b[64] = {};
      while (!stop) (void)!write(fds[1], b, sizeof b);
    });
    threads.emplace_back([&] {
      char b[64];
      while (!stop) (void)!read(fds[0], b, sizeof b);
    });
  }
  sleep(seconds);
  stop = true;
  for (auto& t : threads) t.join();
  close(fds[0]);
  close(fds[1]);
}

uint64_t pipe_callers(const std::map<std::string, uint64_t>& values) {
  uint64_t sum = 0;
  for (const auto& [caller, v] : values)
    if (caller.find("pipe_") != std::string::npos) sum += v;
  return sum;
}

class Klockstat : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
};

TEST_F(Klockstat, ContendedPipeMutexRaisesSpinFiguresOfAPipeCaller) {
  uint64_t count_before = pipe_callers(pcp_.numbers("bcc.kernel.lock.mutex.spin.count"));
  uint64_t total_before = pipe_callers(pcp_.numbers("bcc.kernel.lock.mutex.spin.total"));
  pipe_contention(2);
  auto counts = pcp_.numbers("bcc.kernel.lock.mutex.spin.count");
  uint64_t count_after = pipe_callers(counts);
  uint64_t total_after = pipe_callers(pcp_.numbers("bcc.kernel.lock.mutex.spin.total"));
  std::string callers;
  for (const auto& [c, v] : counts) callers += c + "=" + std::to_string(v) + " ";
  EXPECT_GT(count_after, count_before) << callers;
  EXPECT_GT(total_after, total_before) << callers;
  EXPECT_GT(pipe_callers(pcp_.numbers("bcc.kernel.lock.mutex.spin.max")), 0u) << callers;
  EXPECT_GT(pipe_callers(pcp_.numbers("bcc.kernel.lock.mutex.spin.avg")), 0u) << callers;
}

TEST_F(Klockstat, MetadataMatchesThePythonAgent) {
  EXPECT_EQ(pminfo_pmid("bcc.kernel.lock.mutex.hold.total"), "149.31.7");
  std::string d = run("pminfo -d bcc.kernel.lock.mutex.spin.avg bcc.kernel.lock.mutex.spin.count");
  EXPECT_NE(d.find("Semantics: instant  Units: nanosec"), std::string::npos) << d;
  EXPECT_NE(d.find("Semantics: counter  Units: count"), std::string::npos) << d;
}

TEST_F(Klockstat, WithoutKprobesHoldHasNoValuesAndStatusSaysWhy) {
  if (kernel_has_kprobes()) GTEST_SKIP() << "this kernel has kprobes: hold times are measured";
  auto probes = pcp_.strings("bcc.pmda.module.probes")["klockstat"];
  EXPECT_NE(probes.find("acquire=tracepoint lock:contention_begin"), std::string::npos) << probes;
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["klockstat"], "partial");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["klockstat"];
  EXPECT_NE(reason.find("running without probe 'release': kprobe mutex_unlock: this kernel has "
                        "no kprobes"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("bcc.kernel.lock.mutex.hold.total"), std::string::npos) << reason;
  EXPECT_TRUE(pcp_.numbers("bcc.kernel.lock.mutex.hold.count").empty());
  EXPECT_NE(agent_->log().find("running without probe 'release'"), std::string::npos);
}

TEST_F(Klockstat, HoldTimesWithKprobes) {
  if (!kernel_has_kprobes())
    GTEST_SKIP() << "mutex hold times need kprobes on mutex_lock and mutex_unlock (no "
                    "tracepoint marks a release): this kernel has no kprobes";
  uint64_t before = pipe_callers(pcp_.numbers("bcc.kernel.lock.mutex.hold.count"));
  pipe_contention(1);
  EXPECT_GT(pipe_callers(pcp_.numbers("bcc.kernel.lock.mutex.hold.count")), before);
}

}  // namespace
}  // namespace bcc::test
