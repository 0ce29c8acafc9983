// A loader killed while it builds a module's program fails that module
// alone, with the reason; the agent and its other modules run.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "support/agent_conf.h"
#include "support/agent_suite.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

const std::string kConf =
    "[pmda]\nmodules = runqlat,biolatency\nmodule_failure_fatal = False\n" +
    runqlat_and_biolatency();

// The pid of a running `pmdabcc-loader NAME`, 0 when none.
int loader_building(const std::string& name) {
  DIR* proc = opendir("/proc");
  if (!proc) return 0;
  int found = 0;
  while (dirent* entry = readdir(proc)) {
    int pid = atoi(entry->d_name);
    if (pid <= 0) continue;
    std::ifstream in("/proc/" + std::string(entry->d_name) + "/cmdline");
    std::string argv0, argv1;
    std::getline(in, argv0, '\0');
    std::getline(in, argv1, '\0');
    if (argv0.find("pmdabcc-loader") != std::string::npos && argv1 == name) {
      found = pid;
      break;
    }
  }
  closedir(proc);
  return found;
}

class LoaderKilled : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
};

TEST_F(LoaderKilled, FailsOnlyItsModule) {
  std::atomic<bool> done{false};
  std::atomic<int> killed{0};
  // kill -9 the loader of biolatency as soon as the restarted agent starts it
  std::thread hunter([&] {
    while (!done && !killed) {
      if (int pid = loader_building("biolatency"); pid > 0 && kill(pid, SIGKILL) == 0)
        killed = pid;
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  });
  bool ready = agent_->install(kConf);
  done = true;
  hunter.join();
  ASSERT_TRUE(ready) << agent_->log();
  ASSERT_NE(killed, 0) << "no loader of biolatency was seen";
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["biolatency"], "failed")
      << status("biolatency") << "\nkilled loader " << killed << "\n" << agent_->log();
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["biolatency"];
  EXPECT_NE(reason.find("signal 9"), std::string::npos) << reason;
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["runqlat"], "active") << status("runqlat");
  EXPECT_TRUE(wait_until([&] { return pcp_.total("bcc.runq.latency") > 0; }));
}

}  // namespace
}  // namespace bcc::test
