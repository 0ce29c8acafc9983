#include "config/pattern.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace bcc::config {
namespace {

TEST(Pattern, WholeMatchIsAnchoredAndSearchIsNot) {
  Pattern p("sched:sched_process_.*");
  EXPECT_TRUE(p.matches_whole("sched:sched_process_fork"));
  EXPECT_FALSE(p.matches_whole("xsched:sched_process_fork"));
  EXPECT_TRUE(Pattern("secret").found_in("/etc/secret/file"));
  EXPECT_FALSE(Pattern("^secret").found_in("/etc/secret"));
}

TEST(Pattern, InvalidPatternSaysWhy) {
  try {
    Pattern p("([");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'([' is not a valid regular expression: "),
              std::string::npos)
        << e.what();
  }
}

TEST(Pattern, BacktrackingBombRunsInLinearTime) {
  // (a+)+$ against many a's and a b: exponential for backtracking engines
  Pattern p("(a+)+$");
  EXPECT_FALSE(p.matches_whole(std::string(5000, 'a') + "b"));
}

}  // namespace
}  // namespace bcc::config
