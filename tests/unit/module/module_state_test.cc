// A module's state and the reason bcc.pmda.module.status gives for it.
#include "module/module_state.h"

#include <gtest/gtest.h>

using namespace bcc;

namespace {

TEST(ModuleStatus, StartsConfiguredWithoutReason) {
  ModuleStatus status;
  EXPECT_EQ(status.state(), ModuleState::configured);
  EXPECT_EQ(status.reason(), "");
  EXPECT_STREQ(state_name(status.state()), "configured");
}

TEST(ModuleStatus, RunningWithEveryProbeIsActive) {
  ModuleStatus status;
  status.run({}, {});
  EXPECT_EQ(status.state(), ModuleState::active);
  EXPECT_TRUE(status.running());
  EXPECT_EQ(status.reason(), "");
}

TEST(ModuleStatus, RunningWithoutOptionalProbesIsPartialAndSaysWhichMetricsAreIdle) {
  ModuleStatus status;
  status.fail("an earlier failure");
  status.run({{"buffer", "no tracepoint block:block_dirty_buffer"}, {"x", "EPERM"}},
             {"bcc.mem.buffer_dirtied"});
  EXPECT_EQ(status.state(), ModuleState::partial);
  EXPECT_STREQ(state_name(status.state()), "partial");
  EXPECT_EQ(status.reason(),
            "running without probe 'buffer': no tracepoint block:block_dirty_buffer; "
            "running without probe 'x': EPERM; so these metrics have no values: "
            "bcc.mem.buffer_dirtied");
}

TEST(ModuleStatus, PostponedNamesThePattern) {
  ModuleStatus status;
  status.postpone("java");
  EXPECT_EQ(status.state(), ModuleState::postponed);
  EXPECT_FALSE(status.running());
  EXPECT_EQ(status.reason(), "no process matches 'java' yet: activation postponed");
}

TEST(ModuleStatus, DetachingARunningModuleMakesItConfiguredAndKeepsFailures) {
  ModuleStatus status;
  status.run({{"p", "why"}}, {});
  status.detach();
  EXPECT_EQ(status.state(), ModuleState::configured);
  status.fail("compile failed: oops");
  status.detach();
  EXPECT_EQ(status.state(), ModuleState::failed);
  EXPECT_EQ(status.reason(), "compile failed: oops");
  status.postpone("x");
  status.detach();
  EXPECT_EQ(status.state(), ModuleState::postponed);
}

TEST(ModuleStatus, ReArmingOnAReplacedBinaryIsAddedToTheReason) {
  ModuleStatus status;
  status.run({}, {});
  status.rearmed_on_replaced("/usr/lib/libx.so");
  EXPECT_EQ(status.state(), ModuleState::active);
  EXPECT_EQ(status.reason(),
            "re-armed: /usr/lib/libx.so was replaced while probes were attached to it; "
            "processes still running the old file are no longer counted");
  ModuleStatus partial;
  partial.run({{"p", "why"}}, {});
  partial.rearmed_on_replaced("/b");
  EXPECT_EQ(partial.reason().rfind("running without probe 'p': why; re-armed: /b was", 0), 0u)
      << partial.reason();
}

TEST(ModuleStatus, EveryStateHasAName) {
  EXPECT_STREQ(state_name(ModuleState::active), "active");
  EXPECT_STREQ(state_name(ModuleState::postponed), "postponed");
  EXPECT_STREQ(state_name(ModuleState::failed), "failed");
}

}  // namespace
