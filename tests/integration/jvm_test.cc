// The JVM modules in the real pmcd, on a real OpenJDK JVM running the
// suite's PmdabccJavaTarget: usdt_jvm_threads and usdt_hits on libjvm.so's
// hotspot probes count the threads it starts.
#include <unistd.h>

#include "support/agent_suite.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

const int kCalls = 5000;
const int kThreads = 25;

std::string conf() {
  return std::string(R"([pmda]
modules = usdt_jvm_threads,usdt_hits
process_refresh = 1
module_failure_fatal = False

[usdt_jvm_threads]
module = usdt_jvm_threads
cluster = 110
process = .*PmdabccJavaTarget.*

[usdt_hits]
module = usdt_hits
cluster = 101
process = .*PmdabccJavaTarget.*
usdts = )") + kLibjvm + ":thread__start\n";
}

class Jvm : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    unavailable_ = java_target_unavailable();
    if (!unavailable_.empty()) return;
    install_for_suite(conf());
  }
  bool all_active() {
    auto state = pcp_.strings("bcc.pmda.module.state");
    return state["usdt_jvm_threads"] == "active" && state["usdt_hits"] == "active";
  }
};

TEST_F(Jvm, ThreadStartsAreCounted) {
  EXPECT_TRUE(pcp_.numbers("bcc.usdt.jvm.threads.start").empty());  // no JVM yet
  TargetProcess jvm(java_target_command(kCalls, kThreads));
  ASSERT_GT(jvm.pid(), 0);
  ASSERT_TRUE(wait_until([&] { return all_active(); }, 30)) << agent_->log();
  uint64_t before = value("bcc.usdt.jvm.threads.start", "");
  std::string instance = std::string(kLibjvm) + "::thread__start";
  uint64_t hits_before = value("bcc.usdt.hits", instance);
  ASSERT_TRUE(jvm.work());
  uint64_t after = value("bcc.usdt.jvm.threads.start", "");
  EXPECT_GE(after - before, uint64_t(kThreads)) << "before " << before << " after " << after;
  EXPECT_GE(value("bcc.usdt.jvm.threads.stop", ""), uint64_t(kThreads) - 1);
  EXPECT_GE(value("bcc.usdt.hits", instance) - hits_before, uint64_t(kThreads));
  jvm.finish();
  ASSERT_TRUE(wait_until([&] {
    return pcp_.strings("bcc.pmda.module.state")["usdt_jvm_threads"] == "postponed";
  }, 20));
  EXPECT_TRUE(pcp_.numbers("bcc.usdt.jvm.threads.start").empty());
}

TEST_F(Jvm, MetadataMatchesThePythonAgent) {
  EXPECT_NE(run("pminfo -m bcc.usdt.jvm.threads.start").find("PMID: 149.110.0"),
            std::string::npos);
  EXPECT_NE(run("pminfo -m bcc.usdt.jvm.threads.stop").find("PMID: 149.110.1"),
            std::string::npos);
  EXPECT_FALSE(pcp_.describe("bcc.usdt.jvm.threads.start").has_indom);
}

}  // namespace
}  // namespace bcc::test
