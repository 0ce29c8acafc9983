// Probe lists, user-space probe alternatives and binary resolution.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

// A process's libraries are its own mappings: /proc/PID/map_files links
// to the very file it runs, whatever has since been renamed over the path.
TEST(Binaries, LibrariesOfARunningProcessAreItsOwnMappings) {
  int pid = getpid();  // this test links libc
  std::string libc = resolve_binary("c", pid);
  EXPECT_EQ(libc.rfind("/proc/" + std::to_string(pid) + "/map_files/", 0), 0u) << libc;
  EXPECT_EQ(access(libc.c_str(), R_OK), 0) << libc;
  std::string mapped = mapped_file(pid, "libc.so");
  ASSERT_NE(mapped, "");
  char target[4096] = {};
  ASSERT_GT(readlink(libc.c_str(), target, sizeof target - 1), 0);
  EXPECT_EQ(std::string(target), mapped);
  // a file the process does not map: through its root
  EXPECT_EQ(binary_of_process("/etc/hostname", pid),
            "/proc/" + std::to_string(pid) + "/root/etc/hostname");
  EXPECT_EQ(binary_of_process("/etc/hostname", -1), "/etc/hostname");
}

// Writes 8 KiB of `fill` to `path` and maps it into this process, as a
// library is; the mapping's address (MAP_FAILED on failure).
void* map_new_file(const std::string& path, char fill) {
  std::ofstream(path) << std::string(8192, fill);
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return MAP_FAILED;
  void* mapped = mmap(nullptr, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  return mapped;
}

// Upgraded under a running process: the path names a new file, the mapping
// still the one the process runs (the probe must go there to count it).
TEST(Binaries, AReplacedLibraryIsStillTheProcesssOwnMapping) {
  char dir[] = "/tmp/binaries-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string plain = std::string(dir) + "/libplain.so", odd = std::string(dir) + "/lib x\n1.so",
              next = std::string(dir) + "/next";
  void* mapped_plain = map_new_file(plain, 'a');
  void* mapped_odd = map_new_file(odd, 'b');
  ASSERT_NE(mapped_plain, MAP_FAILED);
  ASSERT_NE(mapped_odd, MAP_FAILED);
  struct stat before {};
  ASSERT_EQ(stat(plain.c_str(), &before), 0);
  for (const std::string& path : {plain, odd}) {
    std::ofstream(next) << std::string(8192, 'c');
    ASSERT_EQ(std::rename(next.c_str(), path.c_str()), 0);
  }
  std::string mapping = binary_of_process(plain, getpid());
  EXPECT_NE(mapping.find("/map_files/"), std::string::npos) << mapping;
  struct stat now {};
  ASSERT_EQ(stat(mapping.c_str(), &now), 0);
  EXPECT_EQ(now.st_ino, before.st_ino) << "the mapping is not the file the process has";
  // a newline in the name: maps escapes it, so this one goes through the root
  EXPECT_EQ(binary_of_process(odd, getpid()).find("/map_files/"), std::string::npos);
  munmap(mapped_plain, 8192);
  munmap(mapped_odd, 8192);
  std::remove(plain.c_str());
  std::remove(odd.c_str());
  rmdir(dir);
}

// A process in a root of its own (a container) whose library is an
// absolute symbolic link: read through /proc/PID/root, the link must land
// in the process's root, never in the agent's.
TEST(Binaries, PathsUnderAProcesssRootStayInThatRoot) {
  char dir[] = "/tmp/confined-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string root = dir, outside = root + "/outside";
  std::ofstream(outside) << "host";  // the agent's /tmp/confined-*/outside
  ASSERT_EQ(system(("mkdir -p '" + root + root + "'").c_str()), 0);
  std::ofstream(root + outside) << "container";  // the same path inside the root
  ASSERT_EQ(symlink(outside.c_str(), (root + "/lib x\n.so").c_str()), 0);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char ok = chroot(dir) == 0 && chdir("/") == 0 ? 'y' : 'n';
    (void)!write(ready[1], &ok, 1);
    for (;;) pause();
  }
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, 'y') << "chroot failed (the unit tests run as root)";
  std::string through_root = path_in_process("/lib x\n.so", child);
  auto read_all = [](int fd) {
    std::string text(64, '\0');
    ssize_t n = fd >= 0 ? read(fd, text.data(), text.size()) : -1;
    if (fd >= 0) close(fd);
    return n > 0 ? text.substr(0, n) : std::string("(unreadable)");
  };
  // what a plain open does: the link jumps to the agent's root
  EXPECT_EQ(read_all(open(through_root.c_str(), O_RDONLY)), "host");
  EXPECT_EQ(read_all(open_binary(through_root)), "container");
  // ".." cannot climb out either
  EXPECT_EQ(read_all(open_binary(path_in_process("/../../.." + outside, child))), "container");
  EXPECT_EQ(read_all(open_binary(outside)), "host");  // other paths: as they are
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  close(ready[0]);
  close(ready[1]);
  (void)!system(("rm -rf '" + root + "'").c_str());
}

TEST(Binaries, UsdtProbesOfARunningProcessAreFoundInItsLibraries) {
  int pid = getpid();  // this test links libstdc++, whose notes define libstdcxx:throw
  UsdtInProcess found = find_usdt_probe(pid, "throw");
  EXPECT_EQ(found.binary.rfind("/proc/" + std::to_string(pid) + "/map_files/", 0), 0u)
      << found.binary;
  char target[4096] = {};
  ASSERT_GT(readlink(found.binary.c_str(), target, sizeof target - 1), 0);
  EXPECT_NE(std::string(target).find("libstdc++"), std::string::npos) << target;
  EXPECT_EQ(found.provider, "libstdcxx");
  EXPECT_EQ(find_usdt_probe(pid, "no__such__probe").binary, "");
  EXPECT_EQ(find_usdt_probe(999999999, "throw").binary, "");
  // by a library's name, as usdt_hits and jvm_path name it: the same file
  auto named = locate_usdt_probes(pid, "stdc++", {"throw", "no__such__probe"});
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].binary, found.binary);
  EXPECT_EQ(named[0].provider, "libstdcxx");
  EXPECT_EQ(named[1].provider, "");
  EXPECT_EQ(locate_usdt_probes(pid, "", {"throw"}).front().binary, found.binary);
  EXPECT_EQ(locate_usdt_probes(pid, "/no/such file\n", {"throw"}).front().binary, "");
  // several at once, in the order asked, each binary read once for all
  auto several = find_usdt_probes(pid, {"catch", "no__such__probe", "throw"});
  ASSERT_EQ(several.size(), 3u);
  EXPECT_EQ(several[0].provider, "libstdcxx");
  EXPECT_EQ(several[0].binary, found.binary);
  EXPECT_EQ(several[1].binary, "");
  EXPECT_EQ(several[2].binary, found.binary);
  EXPECT_EQ(several[2].provider, "libstdcxx");
}

}  // namespace
}  // namespace bcc
