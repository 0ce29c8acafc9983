// exitsnoop on fake maps: each exit record the program sends becomes a row,
// newest first, up to process_count, with pmdabpf's derived columns (age in
// ns, the signal without the core bit, coredump 0 or 128); command names
// passed on raw; lost records counted.
#include <sys/statfs.h>

#include <algorithm>
#include <csignal>
#include <cstring>

#include "exitsnoop.h"
#include "config/ini.h"
#include "event_rows.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

using bcc::testing::row_value;

namespace {

exitsnoop_event exit_of(uint32_t pid, const char* comm, int status, uint32_t sig = 0) {
  exitsnoop_event e{};
  e.start_time = 1000000000ull;
  e.exit_time = 1000000000ull + 250000000ull + pid;
  e.pid = pid;
  e.tid = pid + 1;
  e.ppid = 1;
  e.sig = sig;
  e.exit_code = status;
  std::memcpy(e.comm, comm, std::min(std::strlen(comm), sizeof(e.comm)));
  return e;
}

void send(ModuleHarness& h, const exitsnoop_event& e) {
  h.spec().perf_buffers().at(0).on_event(&e, sizeof(e));
}

TEST(Exitsnoop, EachExitIsARowNewestFirst) {
  ModuleHarness h("exitsnoop");
  send(h, exit_of(100, "worker", 7));
  send(h, exit_of(200, "a b\nc\x01", 0, SIGSEGV | 0x80));
  auto values = h.fetch();
  ASSERT_EQ(values["exitsnoop.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "exitsnoop.pid", 0), 200u);
  EXPECT_EQ(row_value<uint64_t>(values, "exitsnoop.tid", 0), 201u);
  EXPECT_EQ(row_value<uint64_t>(values, "exitsnoop.ppid", 0), 1u);
  EXPECT_EQ(row_value<std::string>(values, "exitsnoop.comm", 0), "a b\nc\x01");  // raw
  EXPECT_EQ(row_value<int64_t>(values, "exitsnoop.sig", 0), SIGSEGV);
  EXPECT_EQ(row_value<int64_t>(values, "exitsnoop.coredump", 0), 128);
  EXPECT_EQ(row_value<int64_t>(values, "exitsnoop.exit_code", 0), 0);
  EXPECT_DOUBLE_EQ(row_value<double>(values, "exitsnoop.age", 0), 250000200.0);
  EXPECT_EQ(row_value<uint64_t>(values, "exitsnoop.pid", 1), 100u);
  EXPECT_EQ(row_value<std::string>(values, "exitsnoop.comm", 1), "worker");
  EXPECT_EQ(row_value<int64_t>(values, "exitsnoop.exit_code", 1), 7);
  EXPECT_EQ(row_value<int64_t>(values, "exitsnoop.sig", 1), 0);
  EXPECT_EQ(row_value<int64_t>(values, "exitsnoop.coredump", 1), 0);
}

TEST(Exitsnoop, FullCommandNameWithoutTerminator) {
  ModuleHarness h("exitsnoop");
  send(h, exit_of(1, "0123456789abcdef", 0));  // 16 bytes, no NUL
  auto values = h.fetch();
  EXPECT_EQ(row_value<std::string>(values, "exitsnoop.comm", 0), "0123456789abcdef");
}

TEST(Exitsnoop, KeepsProcessCountExitsAndIgnoresShortRecords) {
  ModuleHarness h("exitsnoop", "process_count = 2\n");
  for (uint32_t pid = 1; pid <= 4; pid++) send(h, exit_of(pid, "sh", 1));
  char shorter[8] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  auto values = h.fetch();
  ASSERT_EQ(values["exitsnoop.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "exitsnoop.pid", 0), 4u);
  EXPECT_EQ(row_value<uint64_t>(values, "exitsnoop.pid", 1), 3u);
}

TEST(Exitsnoop, AgeIsZeroWhenTheClocksDisagree) {
  ModuleHarness h("exitsnoop");
  exitsnoop_event e = exit_of(5, "x", 0);
  e.exit_time = e.start_time - 1;
  send(h, e);
  auto values = h.fetch();
  EXPECT_DOUBLE_EQ(row_value<double>(values, "exitsnoop.age", 0), 0.0);
}

TEST(Exitsnoop, LostRecordsAreCounted) {
  ModuleHarness h("exitsnoop");
  auto before = h.fetch();
  ASSERT_EQ(before["exitsnoop.lost"].size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(before["exitsnoop.lost"][0].value), 0u);
  h.spec().perf_buffers().at(0).on_lost(3);
  h.spec().perf_buffers().at(0).on_lost(4);
  auto values = h.fetch();
  EXPECT_EQ(values["exitsnoop.lost"][0].instance, "");
  EXPECT_EQ(std::get<uint64_t>(values["exitsnoop.lost"][0].value), 7u);
  EXPECT_TRUE(values["exitsnoop.pid"].empty());
}

TEST(Exitsnoop, FiltersBecomeProgramMacros) {
  ModuleHarness plain("exitsnoop");
  auto none = plain.spec().defines(plain.options());
  for (const char* macro : {"FAILED_ONLY", "THREADS", "FILTER_PIDS"})
    EXPECT_EQ(std::find(none.begin(), none.end(), macro), none.end()) << macro;
  ModuleHarness h("exitsnoop", "failed = True\nthreads = True\n");
  auto defines = h.spec().defines(h.options());
  EXPECT_NE(std::find(defines.begin(), defines.end(), "FAILED_ONLY"), defines.end());
  EXPECT_NE(std::find(defines.begin(), defines.end(), "THREADS"), defines.end());
}

TEST(Exitsnoop, CgroupMustBeACgroup2Folder) {
  EXPECT_THROW(ModuleHarness("exitsnoop", "cgroup = /tmp\n"), config::ConfigError);
  EXPECT_THROW(ModuleHarness("exitsnoop", "cgroup = /no/such/cgroup\n"), config::ConfigError);
}

TEST(Exitsnoop, CgroupFolderBecomesItsIdAndLevel) {
  std::string root;
  for (const char* p : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    struct statfs fs;
    if (statfs(p, &fs) == 0 && fs.f_type == 0x63677270) root = p;
  }
  if (root.empty()) GTEST_SKIP() << "no cgroup v2 file system mounted";
  ModuleHarness h("exitsnoop", "cgroup = " + root + "\n");
  auto defines = h.spec().defines(h.options());
  EXPECT_NE(std::find(defines.begin(), defines.end(), "FILTER_CGROUP_LEVEL=0"), defines.end());
  EXPECT_EQ(std::count_if(defines.begin(), defines.end(),
                          [](const std::string& d) { return d.rfind("FILTER_CGROUP_ID=", 0) == 0; }),
            1);
}

}  // namespace
