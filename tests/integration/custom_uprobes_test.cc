// A custom program on a user-space function: a bcc.conf section whose
// `uprobes` key runs the program's uprobe__malloc in the processes its
// `process` key follows, with process_refresh; its map is summed into one
// value (key=none).
#include <unistd.h>

#include <cstdlib>

#include "support/agent_suite.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

const char* const kProgram = R"(// export: calls counter count key=u32:none
// help: malloc() calls of the followed processes
BPF_HASH(calls, u32, u64);
int uprobe__malloc(struct pt_regs *ctx) {
    u32 zero = 0;
    calls.increment(zero);
    return 0;
}
)";

class CustomUprobes : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    write_agent_file("custom_test_malloc.bpf", kProgram);
    install_for_suite(R"([pmda]
modules = mallocs
process_refresh = 1
module_failure_fatal = False

[mallocs]
module = custom
cluster = 205
program = custom_test_malloc.bpf
uprobes = c:malloc
process = probe_target
)");
  }
  std::string state() { return pcp_.strings("bcc.pmda.module.state")["mallocs"]; }
};

TEST_F(CustomUprobes, CountsTheFollowedProcessesMallocCalls) {
  EXPECT_EQ(state(), "postponed") << status("mallocs");
  TargetProcess target("exec " + probe_target_path() + " 2000");
  ASSERT_GT(target.pid(), 0);
  ASSERT_TRUE(wait_until([&] { return state() == "active"; }, 20)) << status("mallocs");
  uint64_t before = value("bcc.custom.mallocs.calls", "");
  ASSERT_TRUE(target.work());
  for (int i = 0; i < 5000; i++) {  // the test's own calls are not counted
    void* volatile p = malloc(64);
    free(p);
  }
  uint64_t after = value("bcc.custom.mallocs.calls", "");
  EXPECT_GE(after - before, 2000u) << "before " << before << " after " << after;
  EXPECT_LT(after - before, 2500u) << "calls of other processes were counted";
  EXPECT_EQ(pcp_.describe("bcc.custom.mallocs.calls").oneline,
            "malloc() calls of the followed processes");
}

}  // namespace
}  // namespace bcc::test
