// A module's processes at each rescan: which pids its probes are armed
// for, when it is re-armed (the matches changed, a binary its probes are on
// was replaced) or postponed (none matches), and the section's process
// options checked with file, line and key.
#include "module/process_following.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "config/ini.h"

using namespace bcc;

namespace {

struct Logged {
  std::vector<std::string> lines;
  ModuleLog log() {
    return [this](int, const std::string& line) { lines.push_back(line); };
  }
};

ProcessFollowing following(ProcessArming arming, Logged& logged) {
  return ProcessFollowing(std::make_unique<ProcessFilter>("java"), arming, "java",
                          logged.log());
}

ProcessSurvey matching(std::vector<int> pids) { return {std::move(pids), {}}; }

TEST(ProcessFollowing, EachMatchArmsForEveryPid) {
  Logged logged;
  ProcessFollowing f = following(ProcessArming::each_match, logged);
  EXPECT_TRUE(f.arms_per_process());
  EXPECT_EQ(f.pids_to_arm(matching({10, 20, 30})), (std::vector<int>{10, 20, 30}));
  EXPECT_TRUE(logged.lines.empty());
}

TEST(ProcessFollowing, FirstMatchArmsForTheFirstAndSaysSoOncePerCount) {
  Logged logged;
  ProcessFollowing f = following(ProcessArming::first_match, logged);
  EXPECT_EQ(f.pids_to_arm(matching({10, 20})), (std::vector<int>{10}));
  EXPECT_EQ(f.pids_to_arm(matching({10, 20})), (std::vector<int>{10}));
  ASSERT_EQ(logged.lines.size(), 1u);
  EXPECT_EQ(logged.lines[0],
            "2 processes match 'java'; its probes follow one process: the first, pid 10");
  f.pids_to_arm(matching({10, 20, 30}));
  EXPECT_EQ(logged.lines.size(), 2u);
}

TEST(ProcessFollowing, APidMapFilterIsNotReArmed) {
  Logged logged;
  ProcessFollowing f = following(ProcessArming::none, logged);
  EXPECT_TRUE(f.follows());
  EXPECT_FALSE(f.arms_per_process());
  EXPECT_EQ(f.plan(matching({10})).action, ProcessFollowing::Plan::keep);
  EXPECT_EQ(f.plan(matching({})).action, ProcessFollowing::Plan::keep);
}

TEST(ProcessFollowing, NothingFollowedNeverAsksAnything) {
  ProcessFollowing f;
  EXPECT_FALSE(f.follows());
  EXPECT_TRUE(f.survey().matching.empty());
  EXPECT_EQ(f.plan(matching({})).action, ProcessFollowing::Plan::keep);
}

TEST(ProcessFollowing, ReArmedWhenTheMatchesChangePostponedWhenNoneIsLeft) {
  Logged logged;
  ProcessFollowing f = following(ProcessArming::each_match, logged);
  f.armed_for({10});
  EXPECT_EQ(f.plan(matching({10})).action, ProcessFollowing::Plan::keep);
  ProcessFollowing::Plan plan = f.plan(matching({10, 11}));
  EXPECT_EQ(plan.action, ProcessFollowing::Plan::rearm);
  EXPECT_EQ(plan.pids, (std::vector<int>{10, 11}));
  EXPECT_EQ(plan.replaced_binary, "");
  EXPECT_EQ(f.plan(matching({})).action, ProcessFollowing::Plan::postpone);
  // a module that failed to arm for {10, 11} is tried again only once they change
  f.armed_for({10, 11});
  EXPECT_EQ(f.plan(matching({10, 11})).action, ProcessFollowing::Plan::keep);
}

TEST(ProcessFollowing, FirstMatchIsNotReArmedForALaterMatch) {
  Logged logged;
  ProcessFollowing f = following(ProcessArming::first_match, logged);
  f.armed_for({10});
  EXPECT_EQ(f.plan(matching({10, 99})).action, ProcessFollowing::Plan::keep);
  ProcessFollowing::Plan plan = f.plan(matching({99}));
  EXPECT_EQ(plan.action, ProcessFollowing::Plan::rearm);
  EXPECT_EQ(plan.pids, (std::vector<int>{99}));
}

// A file in a fresh folder, removed with it.
class WatchedBinaries : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/process-following-XXXXXX";
    ASSERT_NE(mkdtemp(name), nullptr);
    dir_ = name;
    path_ = dir_ + "/libtarget.so";
    std::ofstream(path_) << "old";
  }
  void TearDown() override {
    unlink(path_.c_str());
    unlink((path_ + ".new").c_str());
    rmdir(dir_.c_str());
  }
  // Replaces the file as a package upgrade does: a new file renamed over it.
  void replace() {
    std::ofstream(path_ + ".new") << "new";
    ASSERT_EQ(rename((path_ + ".new").c_str(), path_.c_str()), 0);
  }
  std::vector<std::pair<std::string, ProbeAlternative>> used() {
    return {{"entry", uprobe(path_, "f", "on_f")}, {"tick", tracepoint("sched:sched_switch")}};
  }
  std::string dir_, path_;
};

TEST_F(WatchedBinaries, AReplacedBinaryReArmsForTheSamePids) {
  Logged logged;
  ProcessFollowing f = following(ProcessArming::each_match, logged);
  f.armed_for({10});
  f.watch_binaries(used());
  ASSERT_EQ(f.watched_binaries().size(), 1u);  // the uprobe's file, not the tracepoint
  EXPECT_EQ(f.plan(matching({10})).action, ProcessFollowing::Plan::keep);
  replace();
  ProcessFollowing::Plan plan = f.plan(matching({10}));
  EXPECT_EQ(plan.action, ProcessFollowing::Plan::rearm);
  EXPECT_EQ(plan.pids, (std::vector<int>{10}));
  EXPECT_EQ(plan.replaced_binary, path_);
}

TEST_F(WatchedBinaries, AfterAFailedReArmingOnlyAFurtherChangeReArms) {
  ProcessFollowing f;  // probes on a library, no process option
  f.watch_binaries(used());
  ProcessFollowing::WatchedBinaries watched = f.watched_binaries();
  unlink(path_.c_str());  // removed, between an upgrade's removal and its install
  EXPECT_EQ(f.plan(matching({})).replaced_binary, path_);
  f.detached();  // the module stopped to re-arm...
  EXPECT_TRUE(f.watched_binaries().empty());
  f.rearming_failed(watched);  // ...and could not
  EXPECT_EQ(f.plan(matching({})).action, ProcessFollowing::Plan::keep);
  std::ofstream(path_) << "installed again";
  EXPECT_EQ(f.plan(matching({})).replaced_binary, path_);
}

TEST_F(WatchedBinaries, AnExitedProcesssFilesAreNotReplacedOnes) {
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  ASSERT_GT(child, 0);
  std::string through_child = "/proc/" + std::to_string(child) + "/root" + path_;
  ProcessFollowing f;
  f.watch_binaries({{"entry", uprobe(through_child, "f", "on_f")}});
  ASSERT_EQ(f.watched_binaries().size(), 1u);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  // its path names nothing now: the next rescan's business, not a replacement
  EXPECT_EQ(f.plan(matching({})).action, ProcessFollowing::Plan::keep);
}

// A section of a module with a process filter, its keys checked.
struct Configured {
  ModuleSpec spec{"test"};
  config::IniFile file;
  std::unique_ptr<ModuleOptions> options;
  config::ModuleSection section;
  explicit Configured(const std::string& keys)
      : file(config::parse_ini_text("[m]\nmodule = test\n" + keys, "bcc.conf")) {
    spec.process_filter();
    options = std::make_unique<ModuleOptions>(file, file.sections.at(0), spec.options());
    section.name = "m";
    section.file = "bcc.conf";
    section.section = &file.sections.at(0);
  }
  std::unique_ptr<ProcessFilter> filter() { return process_filter_of(section, spec, *options); }
};

TEST(ProcessFilterOf, UnsetProcessFollowsNothing) {
  EXPECT_EQ(Configured("").filter(), nullptr);
  EXPECT_NE(Configured("process = java\n").filter(), nullptr);
}

TEST(ProcessFilterOf, ANarrowingWithoutProcessNamesFileLineAndKey) {
  try {
    Configured("process_exe = /usr/bin/*\n").filter();
    FAIL() << "no error";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "bcc.conf:3: [m] process_exe = '/usr/bin/*': narrows the 'process' option, "
              "which is not set");
  }
}

TEST(ProcessFilterOf, ABadPatternNamesFileLineAndKey) {
  try {
    Configured("process_user = root\nprocess = a(b\n").filter();
    FAIL() << "no error";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bcc.conf:4: [m] process = 'a(b': ", 0), 0u)
        << e.what();
  }
}

}  // namespace
