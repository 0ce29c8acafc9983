// Probe lists: a comma list or a file of probes next to bcc.conf, and the
// patterns they hold matched against what the kernel offers.
#include "module/probe_list.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "config/ini.h"

namespace bcc {
namespace {

TEST(ProbeList, CommaListWhenTheValueNamesProbes) {
  EXPECT_EQ(read_probe_list("c:malloc, c:strlen,c:malloc", "/nonexistent", "x.conf"),
            (std::vector<std::string>{"c:malloc", "c:strlen"}));
}

TEST(ProbeList, LinesWithCommentsAndBlanks) {
  EXPECT_EQ(parse_probe_lines("# header\n\nsched:sched_switch  # trailing\n  irq:.*\n"),
            (std::vector<std::string>{"sched:sched_switch", "irq:.*"}));
}

TEST(ProbeList, FileNextToTheConfigurationAndDefaultFile) {
  char dir[] = "/tmp/probe-list-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string d = dir;
  std::ofstream(d + "/bcc-uprobe.conf") << "c:malloc\n#c:free\n";
  std::ofstream(d + "/mine.conf") << "c:strlen\n";
  EXPECT_EQ(read_probe_list("", d, "bcc-uprobe.conf"), (std::vector<std::string>{"c:malloc"}));
  EXPECT_EQ(read_probe_list("mine.conf", d, "bcc-uprobe.conf"),
            (std::vector<std::string>{"c:strlen"}));
  EXPECT_EQ(read_probe_list(d + "/mine.conf", "/elsewhere", "x"),
            (std::vector<std::string>{"c:strlen"}));
  EXPECT_TRUE(read_probe_list("", d, "bcc-usdt.conf").empty());  // no default file: nothing
  EXPECT_THROW(read_probe_list("absent.conf", d, "x"), config::ConfigError);
  std::remove((d + "/bcc-uprobe.conf").c_str());
  std::remove((d + "/mine.conf").c_str());
  rmdir(dir);
}

// A probe list chooses what the agent attaches to: like bcc.conf, one that
// others could write is refused, with the fix.
TEST(ProbeList, FileOthersCanWriteIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "ownership checks apply only when running as root";
  char dir[] = "/tmp/probe-list-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/list.conf";
  std::ofstream(path) << "c:malloc\n";
  chmod(path.c_str(), 0666);
  try {
    read_probe_list("list.conf", dir, "x");
    ADD_FAILURE() << "a list others can write was read";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("writable by group or others"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("chmod go-w"), std::string::npos) << e.what();
  }
  chmod(path.c_str(), 0644);
  EXPECT_EQ(read_probe_list("list.conf", dir, "x"), (std::vector<std::string>{"c:malloc"}));
  std::remove(path.c_str());
  rmdir(dir);
}

TEST(ProbeList, PatternsMatchWholeNamesAndReportMisses) {
  std::vector<std::string> available{"sched:sched_process_exec", "sched:sched_process_fork",
                                     "sched:sched_switch", "sched:sched_process_forkx"};
  PatternMatches m = match_patterns(
      {"sched:sched_process_fork", "sched:sched_process_e.*", "nosuch:event", "bad[regex"},
      available);
  EXPECT_EQ(m.found,
            (std::vector<std::string>{"sched:sched_process_exec", "sched:sched_process_fork"}));
  EXPECT_EQ(m.missing, (std::vector<std::string>{"nosuch:event", "bad[regex"}));
}

TEST(ProbeList, SplitAtTheLastColon) {
  EXPECT_EQ(split_probe("c:malloc"), (std::pair<std::string, std::string>{"c", "malloc"}));
  EXPECT_EQ(split_probe("/usr/bin/x:main"),
            (std::pair<std::string, std::string>{"/usr/bin/x", "main"}));
  EXPECT_EQ(split_probe("main"), (std::pair<std::string, std::string>{"", "main"}));
}

}  // namespace
}  // namespace bcc
