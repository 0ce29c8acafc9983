// Lines anyone can cause at will are limited per window, and the next line
// written says how many were held back.
#include "system/log_limit.h"

#include <gtest/gtest.h>

namespace bcc {
namespace {

using std::chrono::seconds;

TEST(LogLimit, BurstPerWindowThenACountOfTheRest) {
  LogLimit limit(3, seconds(60));
  LogLimit::Clock::time_point t0{};
  t0 += seconds(1000);
  std::string note = "stale";
  for (int i = 0; i < 3; i++) {
    EXPECT_TRUE(limit.allow(t0 + seconds(i), &note));
    EXPECT_EQ(note, "");
  }
  for (int i = 0; i < 1000; i++) EXPECT_FALSE(limit.allow(t0 + seconds(10), &note));
  EXPECT_TRUE(limit.allow(t0 + seconds(61), &note));
  EXPECT_EQ(note, " (1000 similar lines not logged)");
  EXPECT_TRUE(limit.allow(t0 + seconds(62), &note));
  EXPECT_EQ(note, "");
  EXPECT_TRUE(limit.allow(t0 + seconds(63), &note));
  EXPECT_FALSE(limit.allow(t0 + seconds(64), &note));
  EXPECT_TRUE(limit.allow(t0 + seconds(200), &note));
  EXPECT_EQ(note, " (1 similar line not logged)");
}

}  // namespace
}  // namespace bcc
