// Process filters: pids, command names and regexes on the command line,
// narrowed to the processes of given users or executables (a process name
// anyone can take), found through /proc.
#include "bpf/process_filter.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <stdexcept>
#include <string>
#include <thread>

namespace bcc {
namespace {

TEST(ProcessAlive, ThisProcessIsAndAReapedChildIsNot) {
  EXPECT_TRUE(process_running(getpid()));
  EXPECT_FALSE(process_running(0));
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);
  EXPECT_FALSE(process_running(child));
}

TEST(ProcessFilter, WordsMatchPidOrCommExactly) {
  ProcessFilter f("java, 1234");
  EXPECT_TRUE(f.matches({99, "java", "/usr/bin/java -jar x.jar"}));
  EXPECT_TRUE(f.matches({1234, "sh", "sh"}));
  EXPECT_FALSE(f.matches({99, "javac", "javac"}));
  EXPECT_FALSE(f.matches({12345, "sh", "sh"}));
}

TEST(ProcessFilter, OtherItemsAreRegexesOnTheWholeCommandLine) {
  ProcessFilter f(".*python3 .*server\\.py");
  EXPECT_TRUE(f.matches({1, "python3", "/usr/bin/python3 /srv/server.py"}));
  EXPECT_FALSE(f.matches({1, "python3", "/usr/bin/python3 /srv/server.pyc --x"}));
}

TEST(ProcessFilter, BadRegexNamesIt) {
  try {
    ProcessFilter f("ok,[unclosed");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'[unclosed' is not a valid regular expression"),
              std::string::npos);
  }
}

TEST(ProcessFilter, ScanFindsThisProcess) {
  ProcessFilter f(std::to_string(getpid()));
  auto found = f.scan();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].pid, getpid());
  EXPECT_FALSE(found[0].cmdline.empty());
}

TEST(ProcessFilter, CmdlineJoining) {
  EXPECT_EQ(join_cmdline(std::string("a\0b\0", 4), "x"), "a b");
  EXPECT_EQ(join_cmdline("", "kworker"), "(kworker)");
}

TEST(ProcessFilter, ThreadIdsIncludeEveryThread) {
  std::atomic<bool> stop{false};
  std::thread t([&stop] {
    while (!stop) usleep(1000);
  });
  auto tids = thread_ids(getpid());
  stop = true;
  t.join();
  EXPECT_GE(tids.size(), 2u);
  EXPECT_NE(std::find(tids.begin(), tids.end(), getpid()), tids.end());
}

ProcessInfo process(long uid, std::string exe) {
  ProcessInfo p{4242, "java", "java -jar app.jar"};
  p.uid = uid;
  p.exe = std::move(exe);
  return p;
}

TEST(ProcessNarrowing, UsersAndExecutablesBothNarrowTheNameMatch) {
  ProcessFilter by_user("java", {{0}, {}});
  EXPECT_TRUE(by_user.matches(process(0, "/usr/bin/java")));
  EXPECT_FALSE(by_user.matches(process(1000, "/usr/bin/java")));
  EXPECT_FALSE(by_user.matches(process(-1, "/usr/bin/java")));  // unknown: not theirs

  ProcessFilter by_exe("java", {{}, {"/usr/lib/jvm/*/bin/java"}});
  EXPECT_TRUE(by_exe.matches(process(1000, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")));
  EXPECT_FALSE(by_exe.matches(process(1000, "/home/mallory/java")));
  EXPECT_FALSE(by_exe.matches(process(1000, "")));  // unreadable: no match

  ProcessFilter both("java", {{0}, {"/usr/bin/java"}});
  EXPECT_TRUE(both.matches(process(0, "/usr/bin/java")));
  EXPECT_FALSE(both.matches(process(0, "/tmp/java")));
  EXPECT_FALSE(both.matches(process(1000, "/usr/bin/java")));
  // and the name must still match
  ProcessInfo other = process(0, "/usr/bin/java");
  other.comm = "javac";
  other.cmdline = "javac";
  EXPECT_FALSE(both.matches(other));
}

// Executable paths are file names users choose: spaces, newlines, control
// characters are matched as they are, never split or cut.
TEST(ProcessNarrowing, HostileExecutablePathsMatchOnlyAsWritten) {
  ProcessFilter f("java", {{}, {"/opt/app/bin/java"}});
  EXPECT_FALSE(f.matches(process(0, "/opt/app/bin/java\n/tmp/x")));
  EXPECT_FALSE(f.matches(process(0, "/opt/app/bin/java /tmp/x")));
  EXPECT_FALSE(f.matches(process(0, std::string("/opt/app/bin/java\0x", 19))));
  EXPECT_FALSE(f.matches(process(0, "/opt/app/bin/\x1b[2Jjava")));
  ProcessFilter wide("java", {{}, {"/srv/*/java"}});
  EXPECT_TRUE(wide.matches(process(0, "/srv/my app\n\t1/java")));
  EXPECT_FALSE(wide.matches(process(0, "/srv/a/java\n")));
}

TEST(ProcessNarrowing, UsersAreNamesOrUidsAndUnknownOnesAreNamed) {
  EXPECT_EQ(parse_process_users("root, 65534"), (std::vector<long>{0, 65534}));
  try {
    parse_process_users("root,no such\nuser");
    FAIL() << "an unknown user was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'no such\nuser' is neither a user name nor a uid"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(parse_process_exes("/usr/bin/java, /usr/lib/jvm/*/bin/java"),
            (std::vector<std::string>{"/usr/bin/java", "/usr/lib/jvm/*/bin/java"}));
  EXPECT_THROW(parse_process_exes("java"), std::invalid_argument);
}

// Through /proc: two processes of one name, one of them nobody's; the
// narrowed scan finds only the one of the user asked for, and only when
// its executable is the one asked for.
TEST(ProcessNarrowing, ScanReadsTheRealUserAndTheExecutable) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (setuid(65534) != 0) _exit(1);
    for (;;) pause();
  }
  std::string pid = std::to_string(child), self = std::to_string(getpid());
  char exe[PATH_MAX] = {};
  ASSERT_GT(readlink("/proc/self/exe", exe, sizeof exe - 1), 0);
  // give the child time to drop its user
  for (int i = 0; i < 100; i++) {
    auto found = ProcessFilter(pid, {{65534}, {}}).scan();
    if (!found.empty()) break;
    usleep(10000);
  }
  auto nobody = ProcessFilter(pid + "," + self, {{65534}, {}}).scan();
  ASSERT_EQ(nobody.size(), 1u);
  EXPECT_EQ(nobody[0].pid, child);
  EXPECT_EQ(nobody[0].uid, 65534);
  EXPECT_EQ(nobody[0].exe, exe);
  auto root = ProcessFilter(pid + "," + self, {{0}, {exe}}).scan();
  ASSERT_EQ(root.size(), 1u);
  EXPECT_EQ(root[0].pid, getpid());
  EXPECT_TRUE(ProcessFilter(pid + "," + self, {{}, {"/nonexistent/*"}}).scan().empty());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

}  // namespace
}  // namespace bcc
