// Compile errors with the lines of the program as written.
#include "bpf/compile_errors.h"

#include <gtest/gtest.h>

#include <string>

namespace bcc {
namespace {

TEST(CompileErrors, LinesOfTheProgramAsWritten) {
  const std::string source = "BPF_HASH(counts, u32, u64);\nint f() {\n  return nope;\n}\n";
  // as libbcc reports it, after inserting lines above the function
  const std::string output =
      "/virtual/main.c:13:10: error: use of undeclared identifier 'nope'\n"
      "  return nope;\n"
      "         ^\n"
      "1 error generated.\n";
  EXPECT_EQ(compile_errors(output, source),
            "/virtual/main.c:3:10: error: use of undeclared identifier 'nope'");
  // nothing to find: the line number stays
  EXPECT_EQ(compile_errors("x.c:7:1: error: bad\n  elsewhere();\n", source),
            "x.c:7:1: error: bad");
  EXPECT_EQ(compile_errors("error: no location\n", source), "error: no location");
}

TEST(CompileErrors, PreludeBeforeLineOneIsNotCounted) {
  const std::string source =
      "BPF_HASH(filter, u32, u8);\n  return nope;\n#line 1\n#include <x.h>\nint f() {\n"
      "  return nope;\n}\n";
  const std::string output =
      "/virtual/main.c:3:10: error: use of undeclared identifier 'nope'\n"
      "  return nope;\n"
      "         ^\n";
  EXPECT_EQ(compile_errors(output, source),
            "/virtual/main.c:3:10: error: use of undeclared identifier 'nope'");
}

}  // namespace
}  // namespace bcc
