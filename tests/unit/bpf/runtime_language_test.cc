// The language runtime a process runs.
#include "bpf/runtime_language.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace bcc {
namespace {

TEST(RuntimeLanguage, ThisProcessIsNativeCode) {
  EXPECT_EQ(runtime_language(getpid()), "c");
  EXPECT_EQ(runtime_language(999999999), "");
}

TEST(RuntimeLanguage, NativeProcessIsC) {
  // this test binary runs no language runtime, only libc
  EXPECT_EQ(runtime_language(getpid()), "c");
  EXPECT_EQ(runtime_language(999999999), "");
}

}  // namespace
}  // namespace bcc
