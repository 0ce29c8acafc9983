// Names of programs registered at run time: annotated, checked, generated.
#include "dynamic/program_name.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

using namespace bcc::dynamic;

namespace {

TEST(ProgramName, FromTheFirstAnnotation) {
  EXPECT_EQ(annotated_name("// name: runq_mine\nint x;\n// name: other\n"), "runq_mine");
  EXPECT_EQ(annotated_name("int x;\n   //name:spaced   \r\n"), "spaced");
  EXPECT_EQ(annotated_name("// export: dist histogram usec\n"), std::nullopt);
  EXPECT_EQ(annotated_name("int name: x; // not at the start\n"), std::nullopt);
  EXPECT_EQ(annotated_name(""), std::nullopt);
  EXPECT_EQ(annotated_name("// name:"), "");
}

TEST(ProgramName, Rules) {
  EXPECT_EQ(name_problem("runq"), "");
  EXPECT_EQ(name_problem("a_1"), "");
  EXPECT_EQ(name_problem(std::string(32, 'a')), "");
  EXPECT_NE(name_problem(std::string(33, 'a')).find("too long"), std::string::npos);
  EXPECT_NE(name_problem("").find("empty"), std::string::npos);
  EXPECT_NE(name_problem("1abc").find("must start with"), std::string::npos);
  EXPECT_NE(name_problem("Abc").find("must start with"), std::string::npos);
  EXPECT_EQ(name_problem("a.b"), "the program name 'a.b' has '.'; expected a lower-case letter, "
                                 "then up to 31 lower-case letters, digits or '_'");
  EXPECT_NE(name_problem("a-b").find("has '-'"), std::string::npos);
}

TEST(ProgramName, GeneratedNamesAreFreshAndNeverReused) {
  NameGenerator names;
  EXPECT_EQ(names.next({}), "prog1");
  EXPECT_EQ(names.next({"prog3"}), "prog2");
  EXPECT_EQ(names.next({"prog3"}), "prog4");  // prog3 is taken
  EXPECT_EQ(names.next({}), "prog5");         // prog1 was freed, but is not handed out again
  EXPECT_EQ(name_problem(names.next({})), "");
}

}  // namespace
