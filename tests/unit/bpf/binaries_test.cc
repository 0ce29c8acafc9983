// ELF files read without libbcc: the dynamic linker's cache, symbol tables
// and USDT notes (libelf); a process's binaries as it maps them, through its
// own root.
#include "bpf/binaries.h"

#include <fcntl.h>
#include <glob.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

namespace bcc {
namespace {

// What `ldconfig -p` says of a library, "" when it cannot be asked.
std::string ldconfig_path(const std::string& soname) {
  std::unique_ptr<FILE, int (*)(FILE*)> out(popen("ldconfig -p 2>/dev/null", "r"), pclose);
  if (!out) return "";
  char line[4096];
  while (fgets(line, sizeof line, out.get())) {
    std::string text = line;
    if (text.find(soname + " (libc6,x86-64") == std::string::npos) continue;
    size_t arrow = text.find("=> ");
    if (arrow == std::string::npos) continue;
    std::string path = text.substr(arrow + 3);
    return path.substr(0, path.find('\n'));
  }
  return "";
}

TEST(LdCache, LibraryNamesAsTheDynamicLinkerFindsThem) {
  std::string libc = library_in_ld_cache("c");
  EXPECT_EQ(libc.size() > 9 ? libc.substr(libc.size() - 9) : libc, "libc.so.6") << libc;
  EXPECT_EQ(access(libc.c_str(), R_OK), 0) << libc;
  EXPECT_EQ(resolve_binary("c"), libc);
  std::string expected = ldconfig_path("libc.so.6");
  if (!expected.empty()) {
    EXPECT_EQ(libc, expected);
  }
  std::string pthread = library_in_ld_cache("pthread");
  EXPECT_NE(pthread.find("libpthread.so"), std::string::npos) << pthread;
  EXPECT_EQ(library_in_ld_cache("no_such_library_anywhere"), "");
}

TEST(ElfSymbols, DefinedFunctionsOnly) {
  std::string libc = resolve_binary("c");
  ASSERT_FALSE(libc.empty());
  EXPECT_TRUE(binary_has_symbol(libc, "getpid"));
  EXPECT_TRUE(binary_has_symbol(libc, "memcpy"));  // an STT_GNU_IFUNC
  EXPECT_FALSE(binary_has_symbol(libc, "environ"));  // data, not a function
  EXPECT_FALSE(binary_has_symbol(libc, "getpi"));
  std::string stdcxx = resolve_binary("stdc++");
  ASSERT_FALSE(stdcxx.empty());
  EXPECT_TRUE(binary_has_symbol(stdcxx, "__cxa_throw"));
  EXPECT_FALSE(binary_has_symbol(stdcxx, "malloc"));  // referenced, not defined
  EXPECT_FALSE(binary_has_symbol("/no/such/file", "main"));
  EXPECT_FALSE(binary_has_symbol("/proc/self/status", "main"));  // not ELF
}

bool has_probe(const std::vector<UsdtProbeName>& probes, const std::string& provider,
               const std::string& name) {
  return std::any_of(probes.begin(), probes.end(), [&](const UsdtProbeName& p) {
    return p.provider == provider && p.name == name;
  });
}

TEST(UsdtNotes, ProbesOfLibstdcxx) {
  std::vector<UsdtProbeName> probes = usdt_probes_in(resolve_binary("stdc++"));
  EXPECT_TRUE(has_probe(probes, "libstdcxx", "throw"));
  EXPECT_TRUE(has_probe(probes, "libstdcxx", "catch"));
  EXPECT_TRUE(usdt_probes_in("/no/such/file").empty());
  EXPECT_TRUE(usdt_probes_in("/proc/self/status").empty());
}

TEST(UsdtNotes, HotspotProbesOfAJvm) {
  glob_t found{};
  if (glob("/usr/lib/jvm/*/lib/server/libjvm.so", 0, nullptr, &found) != 0 || found.gl_pathc == 0) {
    globfree(&found);
    GTEST_SKIP() << "no JVM installed under /usr/lib/jvm";
  }
  std::string jvm = found.gl_pathv[0];
  globfree(&found);
  std::vector<UsdtProbeName> probes = usdt_probes_in(jvm);
  std::cout << jvm << ": " << probes.size() << " USDT probes\n";
  EXPECT_TRUE(has_probe(probes, "hotspot", "thread__start")) << jvm;
  EXPECT_TRUE(has_probe(probes, "hotspot", "gc__begin")) << jvm;
  EXPECT_TRUE(has_probe(probes, "hs_private", "safepoint__begin") ||
              has_probe(probes, "hotspot", "method__entry"))
      << jvm;
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
