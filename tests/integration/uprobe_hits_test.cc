// uprobe_hits in the real pmcd, following a process by name with
// process_refresh: no values while it is absent, its own malloc calls
// counted once it runs (not the test's), nothing left behind once it exits.
#include <unistd.h>

#include <cstdlib>

#include "support/agent_suite.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = uprobe_hits
process_refresh = 1
module_failure_fatal = False

[uprobe_hits]
module = uprobe_hits
cluster = 102
uprobes = c:malloc,c:no_such_function_anywhere
process = probe_target
)";

class UprobeHits : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
  std::string state() { return pcp_.strings("bcc.pmda.module.state")["uprobe_hits"]; }
};

TEST_F(UprobeHits, WaitsWithoutValuesWhileNoProcessMatches) {
  EXPECT_EQ(state(), "postponed");
  EXPECT_TRUE(pcp_.numbers("bcc.uprobe.hits").empty());
  EXPECT_NE(agent_->log().find("activation postponed"), std::string::npos) << agent_->log();
}

TEST_F(UprobeHits, CountsTheMallocCallsOfTheFollowedProcessOnly) {
  TargetProcess target("exec " + probe_target_path() + " 2000");
  ASSERT_GT(target.pid(), 0);
  // partial: the function that exists nowhere is left out, malloc counts
  ASSERT_TRUE(wait_until([&] { return state() == "partial"; }, 20)) << agent_->log();
  auto probes = pcp_.strings("bcc.pmda.module.probes")["uprobe_hits"];
  EXPECT_NE(probes.find("malloc pid " + std::to_string(target.pid())), std::string::npos)
      << probes;
  auto reason = pcp_.strings("bcc.pmda.module.reason")["uprobe_hits"];
  EXPECT_NE(reason.find("running without probe 'c:no_such_function_anywhere pid " +
                        std::to_string(target.pid()) + "'"),
            std::string::npos)
      << reason;

  uint64_t before = value("bcc.uprobe.hits", "c::malloc");
  ASSERT_TRUE(target.work());
  for (int i = 0; i < 5000; i++) {  // the test's own calls are not counted
    void* volatile p = malloc(64);
    free(p);
  }
  uint64_t after = value("bcc.uprobe.hits", "c::malloc");
  EXPECT_GE(after - before, 2000u) << "before " << before << " after " << after;
  EXPECT_LT(after - before, 2500u) << "calls of other processes were counted";
}

TEST_F(UprobeHits, StopsAndDetachesAfterTheProcessExits) {
  {
    TargetProcess target("exec " + probe_target_path() + " 10");
    ASSERT_TRUE(wait_until([&] { return state() == "partial"; }, 20)) << agent_->log();
    EXPECT_NE(loaded_programs().find("hit_0"), std::string::npos);
  }
  ASSERT_TRUE(wait_until([&] { return state() == "postponed"; }, 20)) << agent_->log();
  EXPECT_TRUE(pcp_.numbers("bcc.uprobe.hits").empty());
  EXPECT_EQ(loaded_programs().find("hit_"), std::string::npos) << loaded_programs();
}

}  // namespace
}  // namespace bcc::test
