#include "lock_callers.h"

#include <gtest/gtest.h>

using namespace bcc;

namespace {

TEST(LockCallers, MutexCodeIsSkipped) {
  EXPECT_TRUE(is_mutex_internal("mutex_lock"));
  EXPECT_TRUE(is_mutex_internal("mutex_lock+0x12"));
  EXPECT_TRUE(is_mutex_internal("__mutex_lock.constprop.0"));
  EXPECT_TRUE(is_mutex_internal("__mutex_lock_slowpath"));
  EXPECT_TRUE(is_mutex_internal("mutex_lock_interruptible"));
  EXPECT_FALSE(is_mutex_internal("ext4_buffered_write_iter"));
  EXPECT_FALSE(is_mutex_internal("mutex_unlock"));
}

TEST(LockCallers, CallerAndItsCallersUpToTheDepth) {
  std::vector<std::string> stack{"__mutex_lock.constprop.0", "__mutex_lock_slowpath",
                                 "mutex_lock", "pipe_write", "vfs_write", "ksys_write"};
  EXPECT_EQ(lock_caller(stack, 1), "pipe_write");
  EXPECT_EQ(lock_caller(stack, 2), "pipe_write+vfs_write");
  EXPECT_EQ(lock_caller(stack, 10), "pipe_write+vfs_write+ksys_write");
}

TEST(LockCallers, NoCallerLeftIsAMissedStack) {
  EXPECT_EQ(lock_caller({}, 1), "<Missed Kernel Stack>");
  EXPECT_EQ(lock_caller({"mutex_lock"}, 1), "<Missed Kernel Stack>");
}

TEST(LockCallers, TimesOfSeveralStacksAddUp) {
  LockTimes a{2, 300, 200}, b{1, 50, 50};
  a.add(b);
  EXPECT_EQ(a.count, 3u);
  EXPECT_EQ(a.total, 350u);
  EXPECT_EQ(a.max, 200u);
  EXPECT_EQ(a.average(), 116u);
  EXPECT_EQ(LockTimes{}.average(), 0u);
}

}  // namespace
