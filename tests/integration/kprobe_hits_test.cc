// kprobe_hits in the real pmcd: where the kernel has kprobes, it counts the
// calls of a kernel function the test makes; where it has none, the module
// reports that as its reason, and the counting test skips saying so.
#include <fcntl.h>
#include <unistd.h>

#include "support/agent_suite.h"
#include "support/kernel_features.h"
#include "support/pcp_tools.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = kprobe_hits
module_failure_fatal = False

[kprobe_hits]
module = kprobe_hits
cluster = 103
kprobes = do_sys_openat2
latency = True
)";

class KprobeHits : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
};

TEST_F(KprobeHits, MissingKprobesAreReportedClearly) {
  if (kernel_has_kprobes()) GTEST_SKIP() << "this kernel has kprobes";
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["kprobe_hits"], "failed");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["kprobe_hits"];
  EXPECT_NE(reason.find("this kernel has no kprobes"), std::string::npos) << reason;
  EXPECT_NE(reason.find("do_sys_openat2"), std::string::npos) << reason;
}

TEST_F(KprobeHits, CountsCallsOfAKernelFunction) {
  if (!kernel_has_kprobes())
    GTEST_SKIP() << "this kernel has no kprobes (no kprobe PMU, no kprobe_events): "
                    "kprobe_hits cannot attach here";
  uint64_t before = value("bcc.kprobe.hits.count", "do_sys_openat2");
  for (int i = 0; i < 100; i++) close(open("/dev/null", O_RDONLY));
  uint64_t after = value("bcc.kprobe.hits.count", "do_sys_openat2");
  EXPECT_GE(after - before, 100u);
  EXPECT_GT(value("bcc.kprobe.hits.latency.cml", "do_sys_openat2"), 0u);
}

TEST_F(KprobeHits, MetadataMatchesThePythonAgent) {
  EXPECT_EQ(pminfo_pmid("bcc.kprobe.hits.latency.cml"), "149.103.3");
  EXPECT_EQ(pcp_.describe("bcc.kprobe.hits.latency.avg").semantics, PM_SEM_INSTANT);
  EXPECT_EQ(pcp_.describe("bcc.kprobe.hits.latency.avg").units, "nanosec");
}

}  // namespace
}  // namespace bcc::test
