// The maps a program's text declares.
#include "bpf/program_source.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

TEST(ProgramSource, DeclaredMapsInOrder) {
  const char* source = R"(
BPF_HASH(start, u32, u64, 10240);
BPF_PERCPU_ARRAY(dist, u64, 64);
BPF_PERF_OUTPUT(events);
BPF_HASH(start, u32);
static int f() { return bpf_ktime_get_ns() > BPF_ANY; }
)";
  EXPECT_EQ(bcc::declared_maps(source), (std::vector<std::string>{"start", "dist", "events"}));
}

TEST(ProgramSource, GeneralTableFormsNameTheirFourthArgument) {
  const char* source = R"(
BPF_F_TABLE("hash", u32, u8, filter_pids, 10240, BPF_F_NO_PREALLOC);
BPF_TABLE("percpu_array", struct key_t, u64, totals, 16);
BPF_TABLE_PINNED("hash", u32, u64, pinned, 16, "/sys/fs/bpf/x");
)";
  EXPECT_EQ(bcc::declared_maps(source),
            (std::vector<std::string>{"filter_pids", "totals", "pinned"}));
}

}  // namespace
