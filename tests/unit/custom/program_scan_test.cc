// The probes a custom program defines, found by their BCC names in its
// code (comments and strings left out).
#include "custom/program_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace bcc {
namespace {

TEST(ProbeScan, FindsProbesByBccNamesInOrder) {
  const std::string source = R"(
TRACEPOINT_PROBE(sched, sched_wakeup) { return 0; }
RAW_TRACEPOINT_PROBE(sched_switch) { return 0; }
int kprobe__tcp_sendmsg(struct pt_regs *ctx) { return 0; }
int kretprobe__tcp_sendmsg(struct pt_regs *ctx) { return 0; }
// TRACEPOINT_PROBE(block, block_rq_issue) is commented out
/* int kprobe__vfs_read(void) */
TRACEPOINT_PROBE(sched, sched_wakeup) { return 0; }
static const char *s = "kprobe__in_a_string(";
)";
  auto chains = kernel_probes_in(source);
  ASSERT_EQ(chains.size(), 4u);
  EXPECT_EQ(chains[0].alternatives[0].type, ProbeType::tracepoint);
  EXPECT_EQ(chains[0].alternatives[0].target, "sched:sched_wakeup");
  EXPECT_EQ(chains[0].name, "tracepoint__sched__sched_wakeup");
  EXPECT_EQ(chains[1].alternatives[0].type, ProbeType::raw_tracepoint);
  EXPECT_EQ(chains[1].alternatives[0].target, "sched_switch");
  EXPECT_EQ(chains[2].alternatives[0].type, ProbeType::kprobe);
  EXPECT_EQ(chains[2].alternatives[0].target, "tcp_sendmsg");
  EXPECT_EQ(chains[3].alternatives[0].type, ProbeType::kretprobe);
  EXPECT_TRUE(kernel_probes_in("int main;").empty());
}

TEST(ProbeScan, CommentsBecomeBlanksKeepingLines) {
  std::string text = "a // x\nb /* y\nz */ c \"// not\"\n";
  std::string out = code_only(text);
  EXPECT_EQ(out.size(), text.size());
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
  EXPECT_EQ(out.find('x'), std::string::npos);
  EXPECT_EQ(out.find('y'), std::string::npos);
  EXPECT_EQ(out.find("not"), std::string::npos);
  EXPECT_NE(out.find("c \"      \""), std::string::npos);
  EXPECT_TRUE(defines_function("int uprobe__malloc(struct pt_regs *ctx)", "uprobe__malloc"));
  EXPECT_FALSE(defines_function("// int uprobe__malloc(", "uprobe__malloc"));
  EXPECT_FALSE(defines_function("int my_uprobe__malloc(", "uprobe__malloc"));
}

}  // namespace
}  // namespace bcc
