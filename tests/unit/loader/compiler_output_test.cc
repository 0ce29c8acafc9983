// The compiler's output as a loader reports it.
#include "loader/compiler_output.h"

#include <gtest/gtest.h>

using namespace bcc::loader;

namespace {

TEST(CompilerOutput, DropsLibbccNoise) {
  EXPECT_EQ(without_noise("sha1 socket not available: x\nreal warning\ncannot get prog tag, y\n"),
            "real warning\n");
}

TEST(CompilerOutput, NamesTheProgramByItsOrigin) {
  EXPECT_EQ(cleaned_output("/virtual/main.c:3:1: error: x\n/virtual/main.c:4:1: note\n",
                           SourcePolicy::module, "runqlat.bpf"),
            "runqlat.bpf:3:1: error: x\nrunqlat.bpf:4:1: note\n");
}

TEST(CompilerOutput, RegisteredProgramsSeeOnlyFileNames) {
  std::string raw =
      "In file included from /virtual/main.c:1:\n"
      "In file included from /lib/modules/6.1.0-x/build/include/linux/sched.h:12:\n"
      "/usr/src/linux-headers-6.1/include/linux/x.h:7:2: error: 'y' (see '/etc/a/b')\n"
      "    int z = a /b;\n"
      "/virtual/main.c:2:3: error: boom\n";
  EXPECT_EQ(cleaned_output(raw, SourcePolicy::registered, "pmstore"),
            "In file included from pmstore:1:\n"
            "In file included from sched.h:12:\n"
            "x.h:7:2: error: 'y' (see 'b')\n"
            "    int z = a /b;\n"
            "pmstore:2:3: error: boom\n");
  // other policies keep the paths
  EXPECT_NE(cleaned_output(raw, SourcePolicy::custom, "p").find("/lib/modules/"), std::string::npos);
}

TEST(CompilerOutput, IsCappedWithANote) {
  std::string out = capped(std::string(kMaxCompilerOutput + 10, 'x'));
  EXPECT_EQ(out.substr(kMaxCompilerOutput), "\n[10 more bytes of compiler output cut]\n");
  EXPECT_EQ(capped("short"), "short");
}

}  // namespace
