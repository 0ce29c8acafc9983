// Probe lists, user-space probe alternatives and binary resolution.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "bpf/binaries.h"
#include "bpf/probe.h"
#include "config/ini.h"
#include "module/probe_list.h"

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

TEST(UserProbes, AlternativesNameBinarySymbolAndPid) {
  ProbeAlternative u = uprobe("/lib/libc.so.6", "malloc", "hit_0", 42);
  EXPECT_EQ(u.binary(), "/lib/libc.so.6");
  EXPECT_EQ(u.symbol(), "malloc");
  EXPECT_EQ(u.function_name(), "hit_0");
  EXPECT_EQ(u.describe(), "uprobe /lib/libc.so.6:malloc pid 42");
  ProbeAlternative s = usdt("/usr/lib/libjvm.so", "hotspot", "thread__start", "hit_1");
  EXPECT_EQ(s.binary(), "/usr/lib/libjvm.so");
  EXPECT_EQ(s.symbol(), "hotspot:thread__start");
  EXPECT_EQ(s.describe(), "usdt /usr/lib/libjvm.so:hotspot:thread__start");
  EXPECT_EQ(uretprobe("/bin/x", "f", "r").type, ProbeType::uretprobe);
  EXPECT_EQ(tracepoint("sched:sched_switch").function_name(), "tracepoint__sched__sched_switch");
}

TEST(Binaries, PathsOfAnotherProcessGoThroughItsRoot) {
  EXPECT_EQ(path_in_process("/usr/bin/java", 1234), "/proc/1234/root/usr/bin/java");
  EXPECT_EQ(path_in_process("/usr/bin/java", -1), "/usr/bin/java");
}

TEST(Binaries, LibraryNamesResolveToLibc) {
  std::string libc = resolve_binary("c");
  EXPECT_NE(libc.find("libc.so"), std::string::npos) << libc;
  EXPECT_EQ(access(libc.c_str(), R_OK), 0) << libc;
  EXPECT_TRUE(binary_has_symbol(libc, "malloc"));
  EXPECT_FALSE(binary_has_symbol(libc, "no_such_symbol_in_libc"));
  EXPECT_EQ(resolve_binary("no_such_library_anywhere"), "");
  EXPECT_EQ(resolve_binary("/no/such/file"), "");
}

TEST(Binaries, LibrariesOfARunningProcessResolveThroughItsRoot) {
  int pid = getpid();  // this test links libc
  std::string libc = resolve_binary("c", pid);
  EXPECT_EQ(libc.rfind("/proc/" + std::to_string(pid) + "/root/", 0), 0u) << libc;
  EXPECT_NE(libc.find("libc.so"), std::string::npos) << libc;
  EXPECT_EQ(access(libc.c_str(), R_OK), 0) << libc;
  EXPECT_NE(mapped_file(pid, "libc.so"), "");
}

TEST(Binaries, UsdtProbesOfARunningProcessAreFoundInItsLibraries) {
  int pid = getpid();  // this test links libstdc++, whose notes define libstdcxx:throw
  UsdtInProcess found = find_usdt_probe(pid, "throw");
  EXPECT_EQ(found.binary.rfind("/proc/" + std::to_string(pid) + "/root/", 0), 0u)
      << found.binary;
  EXPECT_NE(found.binary.find("libstdc++"), std::string::npos) << found.binary;
  EXPECT_EQ(found.provider, "libstdcxx");
  EXPECT_EQ(find_usdt_probe(pid, "no__such__probe").binary, "");
  EXPECT_EQ(find_usdt_probe(999999999, "throw").binary, "");
}

}  // namespace
}  // namespace bcc
