// usdt_hits in the real pmcd: the USDT probe of the suite's own
// probe_target, which runs in a mount namespace of its own (its binary is
// only visible there: the agent reaches it through the process's own
// mapping, /proc/PID/map_files), fires a known number of times; the JVM's
// hotspot probes count thread starts.
#include <unistd.h>

#include "support/agent_suite.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

// Where the target's binary lives, inside its own mount namespace only.
const char* kPrivateDir = "/run/pmdabcc-test-ns";

const char* kConf = R"([pmda]
modules = usdt_hits
process_refresh = 1
module_failure_fatal = False

[usdt_hits]
module = usdt_hits
cluster = 101
usdts = /run/pmdabcc-test-ns/probe_target:tick,/run/pmdabcc-test-ns/probe_target:no_such_probe
process = probe_target
)";

std::string in_private_namespace(const std::string& args) {
  return std::string("mkdir -p ") + kPrivateDir + " && exec unshare --mount --propagation private" +
         " sh -c 'mount -t tmpfs none " + kPrivateDir + " && cp " + probe_target_path() + " " +
         kPrivateDir + "/ && exec " + kPrivateDir + "/probe_target " + args + "'";
}

class UsdtHits : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
  std::string state() { return pcp_.strings("bcc.pmda.module.state")["usdt_hits"]; }
};

TEST_F(UsdtHits, CountsTheProbeOfAProcessInAnotherMountNamespace) {
  EXPECT_EQ(state(), "postponed");
  TargetProcess target(in_private_namespace("3000"));
  ASSERT_GT(target.pid(), 0);
  // the path exists only inside the target's namespace
  ASSERT_NE(access((std::string(kPrivateDir) + "/probe_target").c_str(), F_OK), 0);
  // partial: the probe the binary does not have is left out
  ASSERT_TRUE(wait_until([&] { return state() == "partial"; }, 20)) << agent_->log();
  std::string instance = std::string(kPrivateDir) + "/probe_target::tick";
  uint64_t before = value("bcc.usdt.hits", instance);
  ASSERT_TRUE(target.work());
  ASSERT_TRUE(target.work());
  uint64_t after = value("bcc.usdt.hits", instance);
  EXPECT_EQ(after - before, 6000u) << "before " << before << " after " << after;
  auto reason = pcp_.strings("bcc.pmda.module.reason")["usdt_hits"];
  EXPECT_NE(reason.find("running without probe"), std::string::npos) << reason;
  EXPECT_NE(reason.find("no_such_probe"), std::string::npos) << reason;
  auto probes = pcp_.strings("bcc.pmda.module.probes")["usdt_hits"];
  // on the process's own mapping of its binary
  EXPECT_NE(probes.find("/proc/" + std::to_string(target.pid()) + "/map_files/"),
            std::string::npos)
      << probes;
  target.finish();
  ASSERT_TRUE(wait_until([&] { return state() == "postponed"; }, 20)) << agent_->log();
  EXPECT_TRUE(pcp_.numbers("bcc.usdt.hits").empty());
  EXPECT_EQ(loaded_programs().find("hit_"), std::string::npos) << loaded_programs();
}

TEST_F(UsdtHits, MetadataMatchesThePythonAgent) {
  EXPECT_NE(run("pminfo -m bcc.usdt.hits").find("PMID: 149.101.0"), std::string::npos);
  MetricInfo info = pcp_.describe("bcc.usdt.hits");
  EXPECT_EQ(info.semantics, PM_SEM_COUNTER);
  EXPECT_EQ(info.oneline, "USDT hit count");
}

}  // namespace
}  // namespace bcc::test
