// A library with uprobes on it replaced while the agent runs, as a package
// upgrade replaces one (a new file renamed over the old): the uprobe stays
// on the old file, so the agent re-arms on the new one at its next process
// rescan, logs it once, says so in bcc.pmda.module.reason, counts the
// processes that map the new file, and the rest of the agent serves on.
// The library is the suite's own (tests/helpers/probe_library.cc), copied
// into a folder of the test; probe_target loads it.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

const char* kLibrary = "libpmdabcc_probe.so";
const char* kSymbol = "pmdabcc_library_tick";
const int kCalls = 500;

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) n++;
  return n;
}

class LibraryReplaced : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("library");
    library_ = *dir_ / kLibrary;
    run("cp " + probe_library_path() + " " + library_);
    // no process filter: the uprobe is on the library for every process
    install_for_suite(std::string("[pmda]\nmodules = runqlat,uprobe_lib\nprocess_refresh = 1\n"
                                  "module_failure_fatal = False\n\n"
                                  "[runqlat]\nmodule = runqlat\ncluster = 4\n\n"
                                  "[uprobe_lib]\nmodule = uprobe_hits\ncluster = 102\n"
                                  "uprobes = ") +
                      library_ + ":" + kSymbol + "\n");
  }
  static void TearDownTestSuite() {
    remove_for_suite();
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    AgentSuite::SetUp();
    ASSERT_EQ(access(library_.c_str(), R_OK), 0)
        << probe_library_path() << " not built (target pmdabcc_probe_library)";
  }

  // Writes the new version next to the library and renames it over.
  void upgrade_library() {
    std::string next = *dir_ / ".new-library";
    run("cp " + probe_library_path() + " " + next);
    ASSERT_EQ(std::rename(next.c_str(), library_.c_str()), 0);
  }
  uint64_t hits() { return value("bcc.uprobe.hits", library_ + "::" + kSymbol); }
  std::string reason() { return pcp_.strings("bcc.pmda.module.reason")["uprobe_lib"]; }
  std::string command() {
    return "exec " + probe_target_path() + " " + std::to_string(kCalls) + " " + library_;
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string library_;
};

TEST_F(LibraryReplaced, ReArmsOnTheNewFileLogsOnceAndTheAgentServesOn) {
  ASSERT_EQ(pcp_.strings("bcc.pmda.module.state")["uprobe_lib"], "active") << status("uprobe_lib");
  int agent_pid = agent_->pid();

  // before: a process running the library is counted
  TargetProcess old_user(command());
  uint64_t before = hits();
  ASSERT_TRUE(old_user.work());
  ASSERT_EQ(hits() - before, uint64_t(kCalls)) << status("uprobe_lib");

  upgrade_library();
  const std::string logged = library_ + " was replaced";
  ASSERT_TRUE(wait_until([&] { return reason().find("re-armed") != std::string::npos; }, 30))
      << status("uprobe_lib") << "\n" << agent_->log();
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["uprobe_lib"], "active") << status("uprobe_lib");
  EXPECT_NE(reason().find(library_ + " was replaced"), std::string::npos) << reason();

  // a process started after the upgrade maps the new file: counted
  TargetProcess new_user(command());
  before = hits();
  ASSERT_TRUE(new_user.work());
  EXPECT_EQ(hits() - before, uint64_t(kCalls)) << "calls into the new file not counted: "
                                               << status("uprobe_lib");
  // one still running the old, deleted copy is not any more (documented)
  before = hits();
  ASSERT_TRUE(old_user.work());
  EXPECT_EQ(hits(), before);

  // a few more rescans: the replacement is logged once, not at each
  for (int round = 0; round < 3; round++) {
    sleep(1);
    ASSERT_TRUE(new_user.work());
  }
  EXPECT_EQ(count_of(agent_->log(), logged), 1u) << agent_->log();
  EXPECT_EQ(reason().find("re-armed"), reason().rfind("re-armed")) << reason();

  // the rest of the agent served on, in the same process
  EXPECT_EQ(agent_->pid(), agent_pid);
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["runqlat"], "active");
  EXPECT_FALSE(pcp_.numbers("bcc.runq.latency").empty());
}

// `cp` over the library writes into the same inode: the uprobe's offsets
// were read from the old content, so the module re-arms on the new one.
TEST_F(LibraryReplaced, AnOverwriteInPlaceIsNoticed) {
  size_t armed = count_of(agent_->log(), "module [uprobe_lib]: active in ");
  struct stat before {}, after {};
  ASSERT_EQ(stat(library_.c_str(), &before), 0);
  sleep(1);  // a modification time the clock's granularity cannot hide
  run("cp " + probe_library_path() + " " + library_);
  ASSERT_EQ(stat(library_.c_str(), &after), 0);
  ASSERT_EQ(after.st_ino, before.st_ino) << "cp made a new file: not an overwrite in place";
  ASSERT_TRUE(wait_until(
      [&] { return count_of(agent_->log(), "module [uprobe_lib]: active in ") > armed; }, 30))
      << status("uprobe_lib") << "\n" << agent_->log();
  TargetProcess user(command());
  uint64_t hits_before = hits();
  ASSERT_TRUE(user.work());
  EXPECT_EQ(hits() - hits_before, uint64_t(kCalls)) << status("uprobe_lib");
}

// Removed, then installed again (an upgrade's two steps seen by different
// rescans): the module fails while the file is missing, is not rebuilt at
// every rescan meanwhile, and arms again once the file is back.
TEST_F(LibraryReplaced, ALibraryMissingAtARescanIsArmedAgainWhenItIsBack) {
  std::string aside = *dir_ / "library-aside";
  ASSERT_EQ(std::rename(library_.c_str(), aside.c_str()), 0);
  auto state = [&] { return pcp_.strings("bcc.pmda.module.state")["uprobe_lib"]; };
  ASSERT_TRUE(wait_until([&] { return state() == "failed"; }, 30))
      << status("uprobe_lib") << "\n" << agent_->log();
  auto tries = [&] { return count_of(agent_->log(), library_ + " was replaced (or removed)"); };
  size_t tried = tries();
  sleep(3);  // three rescans
  EXPECT_EQ(tries(), tried) << agent_->log();

  ASSERT_EQ(std::rename(aside.c_str(), library_.c_str()), 0);
  ASSERT_TRUE(wait_until([&] { return state() == "active"; }, 30))
      << status("uprobe_lib") << "\n" << agent_->log();
  TargetProcess user(command());
  uint64_t before = hits();
  ASSERT_TRUE(user.work());
  EXPECT_EQ(hits() - before, uint64_t(kCalls)) << status("uprobe_lib");
}

}  // namespace
}  // namespace bcc::test
