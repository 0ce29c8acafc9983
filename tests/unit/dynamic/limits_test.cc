// The limits of registering programs at run time ([pmda] allow_dynamic,
// max_program_size, max_programs).
#include "dynamic/limits.h"

#include <gtest/gtest.h>

using namespace bcc::dynamic;

namespace {

TEST(Limits, OffByDefault) {
  bcc::config::DynamicLimits limits;
  EXPECT_EQ(limit_problem(limits, 100, 0),
            "registering programs at run time is off; set [pmda] allow_dynamic = True");
}

TEST(Limits, SizeAndCount) {
  bcc::config::DynamicLimits limits;
  limits.allowed = true;
  limits.max_program_size = 1000;
  limits.max_programs = 2;
  EXPECT_EQ(limit_problem(limits, 1000, 1), "");
  EXPECT_EQ(limit_problem(limits, 1001, 0),
            "the program has 1001 bytes, more than [pmda] max_program_size = 1000");
  EXPECT_EQ(limit_problem(limits, 0, 0), "the program text is empty");
  EXPECT_EQ(limit_problem(limits, 10, 2),
            "2 programs are registered, [pmda] max_programs = 2; deregister one first");
}

}  // namespace
