// opensnoop on fake maps: each record the program sends through its
// `events` perf buffer becomes a row, newest first, up to process_count;
// fd and err split the return value as pmdabpf does; file and command
// names are passed on raw; lost records are counted in opensnoop.lost.
#include <algorithm>
#include <cstring>

#include "event_rows.h"
#include "module_harness.h"
#include "opensnoop.h"

using namespace bcc;
using namespace bcc::testing;

namespace {

opensnoop_event opened(uint32_t pid, int32_t ret, const char* fname, const char* comm = "cat") {
  opensnoop_event e{};
  e.pid = pid;
  e.uid = 1000 + pid;
  e.ret = ret;
  e.flags = 0101;  // O_WRONLY | O_CREAT
  std::strncpy(e.comm, comm, sizeof(e.comm) - 1);
  std::strncpy(e.fname, fname, sizeof(e.fname) - 1);
  return e;
}

void send(ModuleHarness& h, const opensnoop_event& e) { send_record(h, e); }

TEST(Opensnoop, EachCallIsARowNewestFirstWithFdOrErr) {
  ModuleHarness h("opensnoop");
  send(h, opened(7, 3, "/etc/passwd"));
  send(h, opened(8, -2, "a b\nc\x01.txt", "x y\n\x01"));
  auto values = h.fetch();
  EXPECT_EQ(values["opensnoop.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "opensnoop.pid", 0), 8u);
  EXPECT_EQ(row_value<uint64_t>(values, "opensnoop.uid", 0), 1008u);
  EXPECT_EQ(row_value<int64_t>(values, "opensnoop.fd", 0), -1);
  EXPECT_EQ(row_value<int64_t>(values, "opensnoop.err", 0), 2);                       // ENOENT
  EXPECT_EQ(row_value<std::string>(values, "opensnoop.fname", 0), "a b\nc\x01.txt");  // raw
  EXPECT_EQ(row_value<std::string>(values, "opensnoop.comm", 0), "x y\n\x01");
  EXPECT_EQ(row_value<uint64_t>(values, "opensnoop.pid", 1), 7u);
  EXPECT_EQ(row_value<int64_t>(values, "opensnoop.fd", 1), 3);
  EXPECT_EQ(row_value<int64_t>(values, "opensnoop.err", 1), 0);
  EXPECT_EQ(row_value<int64_t>(values, "opensnoop.flags", 1), 0101);
  EXPECT_EQ(row_value<std::string>(values, "opensnoop.fname", 1), "/etc/passwd");
  EXPECT_EQ(row_value<std::string>(values, "opensnoop.comm", 1), "cat");
}

TEST(Opensnoop, LongestNamesFillTheirFieldsWithoutANul) {
  ModuleHarness h("opensnoop");
  opensnoop_event e = opened(1, 0, "");
  std::memset(e.fname, 'f', sizeof(e.fname));
  std::memset(e.comm, 'c', sizeof(e.comm));
  send(h, e);
  auto values = h.fetch();
  EXPECT_EQ(row_value<std::string>(values, "opensnoop.fname", 0),
            std::string(OPENSNOOP_FNAME_LEN, 'f'));
  EXPECT_EQ(row_value<std::string>(values, "opensnoop.comm", 0),
            std::string(OPENSNOOP_COMM_LEN, 'c'));
}

TEST(Opensnoop, KeepsProcessCountCallsAndIgnoresShortRecords) {
  ModuleHarness h("opensnoop", "process_count = 2\n");
  for (uint32_t pid = 1; pid <= 4; pid++) send(h, opened(pid, 3, "f"));
  char shorter[8] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  auto values = h.fetch();
  ASSERT_EQ(values["opensnoop.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "opensnoop.pid", 0), 4u);
  EXPECT_EQ(row_value<uint64_t>(values, "opensnoop.pid", 1), 3u);
}

uint64_t lost(ModuleHarness& h) { return fetched_counter(h, "opensnoop.lost"); }

TEST(Opensnoop, LostRecordsAreCounted) {
  ModuleHarness h("opensnoop");
  EXPECT_EQ(lost(h), 0u);
  h.spec().perf_buffers().at(0).on_lost(5);
  h.spec().perf_buffers().at(0).on_lost(2);
  EXPECT_EQ(lost(h), 7u);
}

TEST(Opensnoop, FiltersBecomeMacros) {
  ModuleHarness h("opensnoop", "pid = 42\nuid = 0\nfailed = True\n");
  std::vector<std::string> defines = h.spec().defines(h.options());
  for (const char* d : {"TARGET_PID=42", "TARGET_UID=0", "FAILED_ONLY"})
    EXPECT_NE(std::find(defines.begin(), defines.end(), d), defines.end()) << d;
  ModuleHarness plain("opensnoop");
  for (const std::string& d : plain.spec().defines(plain.options()))
    EXPECT_TRUE(d.rfind("TARGET_", 0) != 0 && d != "FAILED_ONLY") << d;
  EXPECT_THROW(ModuleHarness("opensnoop", "pid = me\n"), config::ConfigError);
}

TEST(Opensnoop, OpenAndOpenat2AreOptionalOpenatIsNot) {
  ModuleHarness h("opensnoop");
  for (const ProbeChain& chain : h.spec().probes(h.options())) {
    bool optional_expected = chain.name.rfind("openat_", 0) != 0;
    EXPECT_EQ(chain.optional, optional_expected) << chain.name;
  }
}

}  // namespace
