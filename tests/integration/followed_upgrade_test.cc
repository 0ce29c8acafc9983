// A library upgraded under a followed process, as a package upgrade renames
// a new file over it: the probes that follow each process's pid are on the
// process's own mapping (/proc/PID/map_files), so the process that still
// runs the old copy stays counted, and one started after the upgrade is
// counted on the new file. The library is the suite's own
// (tests/helpers/probe_library.cc), copied into a folder of the test.
#include <unistd.h>

#include <cstdio>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

const char* kLibrary = "libpmdabcc_probe.so";
const char* kSymbol = "pmdabcc_library_tick";
const int kCalls = 400;

class FollowedUpgrade : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("followed-upgrade");
    library_ = *dir_ / kLibrary;
    run("cp " + probe_library_path() + " " + library_);
    install_for_suite(std::string("[pmda]\nmodules = followed\nprocess_refresh = 1\n"
                                  "module_failure_fatal = False\n\n"
                                  "[followed]\nmodule = uprobe_hits\ncluster = 102\n"
                                  "process = probe_target\nuprobes = ") +
                      library_ + ":" + kSymbol + "\n");
  }
  static void TearDownTestSuite() {
    remove_for_suite();
    delete dir_;
    dir_ = nullptr;
  }

  uint64_t hits() { return value("bcc.uprobe.hits", library_ + "::" + kSymbol); }
  std::string command() {
    return "exec " + probe_target_path() + " " + std::to_string(kCalls) + " " + library_;
  }
  // Waits until the module follows exactly `pids` (the rescan re-armed).
  bool following(const std::vector<int>& pids) {
    return wait_until(
        [&] {
          std::string probes = pcp_.strings("bcc.pmda.module.probes")["followed"];
          for (int pid : pids)
            if (probes.find("pid " + std::to_string(pid)) == std::string::npos) return false;
          return pcp_.strings("bcc.pmda.module.state")["followed"] == "active";
        },
        30);
  }
  // Calls counted for one round of work of `target`.
  uint64_t counted(TargetProcess& target) {
    uint64_t before = hits();
    if (!target.work()) return 0;
    return hits() - before;
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string library_;
};

TEST_F(FollowedUpgrade, TheProcessRunningTheOldCopyStaysCounted) {
  TargetProcess old_user(command());
  ASSERT_TRUE(following({old_user.pid()})) << status("followed") << "\n" << agent_->log();
  ASSERT_EQ(counted(old_user), uint64_t(kCalls)) << status("followed");

  // the upgrade
  std::string next = *dir_ / ".new-library";
  run("cp " + probe_library_path() + " " + next);
  ASSERT_EQ(std::rename(next.c_str(), library_.c_str()), 0);
  sleep(3);  // rescans
  EXPECT_EQ(counted(old_user), uint64_t(kCalls))
      << "the process running the replaced file is no longer counted: "
      << pcp_.strings("bcc.pmda.module.probes")["followed"];

  // a process started now maps the new file: both are counted
  TargetProcess new_user(command());
  ASSERT_TRUE(following({old_user.pid(), new_user.pid()}))
      << status("followed") << "\n" << agent_->log();
  EXPECT_EQ(counted(new_user), uint64_t(kCalls)) << status("followed");
  EXPECT_EQ(counted(old_user), uint64_t(kCalls)) << status("followed");
  // nothing was taken for a replaced binary: the mappings did not change
  EXPECT_EQ(agent_->log().find("was replaced"), std::string::npos) << agent_->log();
}

}  // namespace
}  // namespace bcc::test
