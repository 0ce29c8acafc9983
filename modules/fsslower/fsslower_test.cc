// fsslower on fake maps: each record the program sends through its
// `events` perf buffer becomes a row, newest first; the operation as
// pmdabpf's letter, bytes as its unsigned 32-bit value; the file system
// chooses the functions timed (ext4's fsync also by its tracepoints), and
// the threshold becomes MIN_NS.
#include <algorithm>
#include <cstring>

#include "event_rows.h"
#include "fsslower.h"
#include "module_harness.h"

using namespace bcc;
using namespace bcc::testing;

namespace {

fsslower_event slow(uint32_t op, int64_t size, const char* file, const char* comm = "dd") {
  fsslower_event e{};
  e.op = op;
  e.size = size;
  e.offset = 4096;
  e.delta_us = 12345;
  e.pid = 77;
  std::strncpy(e.file, file, sizeof(e.file) - 1);
  std::strncpy(e.comm, comm, sizeof(e.comm) - 1);
  return e;
}

TEST(Fsslower, EachSlowOperationIsARowNewestFirst) {
  ModuleHarness h("fsslower");
  send_record(h, slow(FSSLOWER_FSYNC, 0, "a b\n\x01", "x\x01 y"));
  send_record(h, slow(FSSLOWER_READ, -5, "data.bin"));  // EIO
  send_record(h, slow(FSSLOWER_WRITE, 8192, "log"));
  auto values = h.fetch();
  EXPECT_EQ(row_value<std::string>(values, "fsslower.file_op", 0), "W");
  EXPECT_EQ(row_value<uint64_t>(values, "fsslower.bytes", 0), 8192u);
  EXPECT_EQ(row_value<int64_t>(values, "fsslower.offset", 0), 4096);
  EXPECT_EQ(row_value<double>(values, "fsslower.lat", 0), 12345.0);
  EXPECT_EQ(row_value<std::string>(values, "fsslower.filename", 0), "log");
  EXPECT_EQ(row_value<uint64_t>(values, "fsslower.pid", 0), 77u);
  EXPECT_EQ(row_value<std::string>(values, "fsslower.file_op", 1), "R");
  EXPECT_EQ(row_value<uint64_t>(values, "fsslower.bytes", 1), 0xfffffffbu);  // -5 as pmdabpf's U32
  EXPECT_EQ(row_value<std::string>(values, "fsslower.file_op", 2), "F");
  EXPECT_EQ(row_value<std::string>(values, "fsslower.filename", 2), "a b\n\x01");  // raw
  EXPECT_EQ(row_value<std::string>(values, "fsslower.comm", 2), "x\x01 y");
}

std::vector<std::string> targets(ModuleHarness& h, const std::string& chain_name) {
  std::vector<std::string> out;
  for (const ProbeChain& chain : h.spec().probes(h.options()))
    if (chain.name == chain_name)
      for (const ProbeAlternative& alt : chain.alternatives) out.push_back(alt.describe());
  return out;
}

TEST(Fsslower, Ext4FsyncByTracepointsFirstTheRestByOptionalKprobes) {
  ModuleHarness h("fsslower");
  EXPECT_EQ(targets(h, "fsync_entry"),
            (std::vector<std::string>{"raw_tracepoint ext4_sync_file_enter",
                                      "kprobe ext4_sync_file"}));
  EXPECT_EQ(targets(h, "fsync_exit"),
            (std::vector<std::string>{"raw_tracepoint ext4_sync_file_exit",
                                      "kretprobe ext4_sync_file"}));
  EXPECT_EQ(targets(h, "read_entry"), (std::vector<std::string>{"kprobe ext4_file_read_iter"}));
  for (const ProbeChain& chain : h.spec().probes(h.options()))
    EXPECT_EQ(chain.optional, chain.name.rfind("fsync_", 0) != 0) << chain.name;
}

TEST(Fsslower, OtherFileSystemsOnlyByKprobes) {
  ModuleHarness h("fsslower", "filesystem = xfs\n");
  EXPECT_EQ(targets(h, "fsync_entry"), (std::vector<std::string>{"kprobe xfs_file_fsync"}));
  EXPECT_EQ(targets(h, "write_exit"), (std::vector<std::string>{"kretprobe xfs_file_write_iter"}));
  EXPECT_THROW(ModuleHarness("fsslower", "filesystem = vfat\n"), config::ConfigError);
}

bool defines_has(ModuleHarness& h, const std::string& define) {
  std::vector<std::string> defines = h.spec().defines(h.options());
  return std::find(defines.begin(), defines.end(), define) != defines.end();
}

TEST(Fsslower, MinInMillisecondsOrMicroseconds) {
  ModuleHarness plain("fsslower");
  EXPECT_TRUE(defines_has(plain, "MIN_NS=10000000ull"));
  ModuleHarness ms("fsslower", "min = 2\npid = 5\n");
  EXPECT_TRUE(defines_has(ms, "MIN_NS=2000000ull"));
  EXPECT_TRUE(defines_has(ms, "TARGET_PID=5"));
  ModuleHarness us("fsslower", "min = 2\nmin_us = 300\n");
  EXPECT_TRUE(defines_has(us, "MIN_NS=300000ull"));
}

}  // namespace
