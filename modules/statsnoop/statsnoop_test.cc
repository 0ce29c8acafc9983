// statsnoop on fake maps: each record the program sends through its
// `events` perf buffer becomes a row, newest first, up to process_count;
// ret and err split the return value as pmdabpf does; paths and command
// names are passed on raw; `failed` and `pid` become the program's filters.
#include <algorithm>
#include <cstring>

#include "event_rows.h"
#include "module_harness.h"
#include "statsnoop.h"

using namespace bcc;
using namespace bcc::testing;

namespace {

statsnoop_event stat_call(uint32_t pid, int32_t ret, const char* path, const char* comm = "ls") {
  statsnoop_event e{};
  e.pid = pid;
  e.ret = ret;
  std::strncpy(e.comm, comm, sizeof(e.comm) - 1);
  std::strncpy(e.path, path, sizeof(e.path) - 1);
  return e;
}

TEST(Statsnoop, EachCallIsARowNewestFirstWithRetAndErr) {
  ModuleHarness h("statsnoop");
  send_record(h, stat_call(7, 0, "/etc"));
  send_record(h, stat_call(8, -2, "no such\n\x01 file", "a b\n\x01"));
  send_record(h, stat_call(9, 0, ""));  // fstat
  auto values = h.fetch();
  EXPECT_EQ(values["statsnoop.pid"].size(), 3u);
  EXPECT_EQ(row_value<uint64_t>(values, "statsnoop.pid", 0), 9u);
  EXPECT_EQ(row_value<std::string>(values, "statsnoop.path", 0), "");
  EXPECT_EQ(row_value<uint64_t>(values, "statsnoop.pid", 1), 8u);
  EXPECT_EQ(row_value<int64_t>(values, "statsnoop.ret", 1), -1);
  EXPECT_EQ(row_value<int64_t>(values, "statsnoop.err", 1), 2);                          // ENOENT
  EXPECT_EQ(row_value<std::string>(values, "statsnoop.path", 1), "no such\n\x01 file");  // raw
  EXPECT_EQ(row_value<std::string>(values, "statsnoop.comm", 1), "a b\n\x01");
  EXPECT_EQ(row_value<int64_t>(values, "statsnoop.ret", 2), 0);
  EXPECT_EQ(row_value<int64_t>(values, "statsnoop.err", 2), 0);
  EXPECT_EQ(row_value<std::string>(values, "statsnoop.path", 2), "/etc");
  EXPECT_EQ(row_value<std::string>(values, "statsnoop.comm", 2), "ls");
}

TEST(Statsnoop, KeepsProcessCountCallsIgnoresShortRecordsCountsLost) {
  ModuleHarness h("statsnoop", "process_count = 1\n");
  send_record(h, stat_call(1, 0, "a"));
  send_record(h, stat_call(2, 0, "b"));
  char shorter[8] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  h.spec().perf_buffers().at(0).on_lost(3);
  auto values = h.fetch();
  ASSERT_EQ(values["statsnoop.pid"].size(), 1u);
  EXPECT_EQ(row_value<uint64_t>(values, "statsnoop.pid", 0), 2u);
  EXPECT_EQ(fetched_counter(h, "statsnoop.lost"), 3u);
}

TEST(Statsnoop, FailedAndPidBecomeTheProgramsFilters) {
  ModuleHarness h("statsnoop", "failed = True\npid = 1234\n");
  std::vector<std::string> defines = h.spec().defines(h.options());
  for (const char* d : {"FAILED_ONLY", "TARGET_PID=1234"})
    EXPECT_NE(std::find(defines.begin(), defines.end(), d), defines.end()) << d;
  ModuleHarness plain("statsnoop");
  for (const std::string& d : plain.spec().defines(plain.options()))
    EXPECT_TRUE(d != "FAILED_ONLY" && d.rfind("TARGET_PID", 0) != 0) << d;
}

TEST(Statsnoop, OnlyStatxAndStatfsAreRequired) {
  ModuleHarness h("statsnoop");
  size_t chains = 0;
  for (const ProbeChain& chain : h.spec().probes(h.options())) {
    bool required = chain.name.rfind("statx_", 0) == 0 || chain.name.rfind("statfs_", 0) == 0;
    EXPECT_EQ(chain.optional, !required) << chain.name;
    chains++;
  }
  EXPECT_EQ(chains, 12u);
}

}  // namespace
