// ELF files read without libbcc: the dynamic linker's cache, symbol tables
// and USDT notes (libelf).
#include <glob.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "bpf/binaries.h"
#include "bpf/runtime_language.h"

using namespace bcc;

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

TEST(RuntimeLanguage, ThisProcessIsNativeCode) {
  EXPECT_EQ(runtime_language(getpid()), "c");
  EXPECT_EQ(runtime_language(999999999), "");
}

}  // namespace
