// biosnoop on fake maps: each completed request the program sends through
// its `events` perf buffer becomes a row, newest first, up to
// process_count: the submitter (or "?" and 0), the disk's name from sysfs,
// the kernel's rwbs letters, sector, bytes and latency in ns; with
// `queued`, the queue latency too; `disk` and `cgroup` are checked and
// become the program's filters.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "biosnoop.h"
#include "event_rows.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;
using bcc::testing::send_record;

using bcc::testing::row_value;

namespace {

biosnoop_event request(uint32_t pid, const char* comm, uint8_t op, uint8_t flags) {
  biosnoop_event e{};
  std::strncpy(e.comm, comm, sizeof(e.comm) - 1);
  e.pid = pid;
  e.op = op;
  e.flags = flags;
  e.sector = 2048 + pid;
  e.bytes = 4096 * pid;
  e.latency_ns = 100000 + pid;
  e.queued_ns = 500 + pid;
  e.dev = (4095u << 20) | 0xfffffu;  // no such disk
  return e;
}

TEST(Biosnoop, EachRequestIsARowNewestFirst) {
  ModuleHarness h("biosnoop");
  send_record(h, request(7, "dd", BIOSNOOP_OP_WRITE, BIOSNOOP_SYNC));
  send_record(h, request(8, "a b\nc\x01", BIOSNOOP_OP_READ, BIOSNOOP_RAHEAD));
  auto values = h.fetch();
  EXPECT_EQ(values["biosnoop.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "biosnoop.pid", 0), 8u);
  EXPECT_EQ(row_value<std::string>(values, "biosnoop.comm", 0), "a b\nc\x01");  // raw
  EXPECT_EQ(row_value<std::string>(values, "biosnoop.rwbs", 0), "RA");
  EXPECT_EQ(row_value<std::string>(values, "biosnoop.disk", 0), "?");  // not in sysfs
  EXPECT_EQ(row_value<uint64_t>(values, "biosnoop.sector", 0), 2056u);
  EXPECT_EQ(row_value<uint64_t>(values, "biosnoop.bytes", 0), 32768u);
  EXPECT_EQ(row_value<uint64_t>(values, "biosnoop.lat", 0), 100008u);
  EXPECT_EQ(row_value<std::string>(values, "biosnoop.comm", 1), "dd");
  EXPECT_EQ(row_value<std::string>(values, "biosnoop.rwbs", 1), "WS");
  EXPECT_TRUE(values["biosnoop.qlat"].empty());  // without `queued`
  EXPECT_EQ(std::get<uint64_t>(values["biosnoop.lost"].at(0).value), 0u);
}

TEST(Biosnoop, RwbsIsTheKernelsLetters) {
  ModuleHarness h("biosnoop");
  struct Case {
    uint8_t op, flags;
    const char* rwbs;
  } cases[] = {
      {BIOSNOOP_OP_FLUSH, BIOSNOOP_PREFLUSH, "FF"},
      {BIOSNOOP_OP_WRITE, BIOSNOOP_PREFLUSH | BIOSNOOP_FUA | BIOSNOOP_SYNC, "FWFS"},
      {BIOSNOOP_OP_WRITE, BIOSNOOP_SYNC | BIOSNOOP_META, "WSM"},
      {BIOSNOOP_OP_DISCARD, 0, "D"},
      {BIOSNOOP_OP_SECURE_ERASE, 0, "DE"},
      {BIOSNOOP_OP_OTHER, 0, "N"},
      {200, 0, "N"},  // out of range: other
  };
  for (const Case& c : cases) send_record(h, request(1, "x", c.op, c.flags));
  auto values = h.fetch();
  size_t n = sizeof(cases) / sizeof(cases[0]);
  for (size_t i = 0; i < n; i++)
    EXPECT_EQ(row_value<std::string>(values, "biosnoop.rwbs", n - 1 - i), cases[i].rwbs);
}

TEST(Biosnoop, UnknownSubmitterIsQuestionMarkAndPidZero) {
  ModuleHarness h("biosnoop");
  send_record(h, request(0, "", BIOSNOOP_OP_WRITE, 0));
  auto values = h.fetch();
  EXPECT_EQ(row_value<std::string>(values, "biosnoop.comm", 0), "?");
  EXPECT_EQ(row_value<uint64_t>(values, "biosnoop.pid", 0), 0u);
}

TEST(Biosnoop, DiskNamesComeFromSysfs) {
  // a whole disk of this machine, if it has one
  for (const auto& entry : std::filesystem::directory_iterator("/sys/class/block")) {
    if (std::filesystem::exists(entry.path() / "partition")) continue;
    unsigned major = 0, minor = 0;
    char colon = 0;
    std::ifstream dev(entry.path() / "dev");
    if (!(dev >> major >> colon >> minor)) continue;
    ModuleHarness h("biosnoop");
    biosnoop_event e = request(1, "x", BIOSNOOP_OP_READ, 0);
    e.dev = (major << 20) | minor;
    send_record(h, e);
    auto values = h.fetch();
    EXPECT_EQ(row_value<std::string>(values, "biosnoop.disk", 0), entry.path().filename().string());
    return;
  }
  GTEST_SKIP() << "no block device in /sys/class/block";
}

TEST(Biosnoop, QueuedAddsTheQueueLatencyAndTheInsertProbe) {
  ModuleHarness h("biosnoop", "queued = True\nprocess_count = 2\n");
  for (uint32_t pid = 1; pid <= 3; pid++) send_record(h, request(pid, "w", BIOSNOOP_OP_WRITE, 0));
  h.spec().perf_buffers().at(0).on_lost(4);
  auto values = h.fetch();
  ASSERT_EQ(values["biosnoop.qlat"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "biosnoop.qlat", 0), 503u);
  EXPECT_EQ(row_value<uint64_t>(values, "biosnoop.pid", 1), 2u);
  EXPECT_EQ(std::get<uint64_t>(values["biosnoop.lost"].at(0).value), 4u);
  std::vector<std::string> names;
  for (const ProbeChain& c : h.spec().probes(h.options())) names.push_back(c.name);
  EXPECT_NE(std::find(names.begin(), names.end(), "insert"), names.end());
  ModuleHarness plain("biosnoop");
  names.clear();
  for (const ProbeChain& c : plain.spec().probes(plain.options())) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"start", "issue", "done"}));
}

TEST(Biosnoop, DiskAndCgroupOptionsAreCheckedAndBecomeFilters) {
  EXPECT_THROW(ModuleHarness("biosnoop", "disk = nosuchdisk0\n"), config::ConfigError);
  EXPECT_THROW(ModuleHarness("biosnoop", "cgroup = /tmp\n"), config::ConfigError);
  for (const auto& entry : std::filesystem::directory_iterator("/sys/class/block")) {
    if (std::filesystem::exists(entry.path() / "partition")) {
      EXPECT_THROW(ModuleHarness("biosnoop", "disk = " + entry.path().filename().string() + "\n"),
                   config::ConfigError);
      continue;
    }
    unsigned major = 0, minor = 0;
    char colon = 0;
    std::ifstream dev(entry.path() / "dev");
    if (!(dev >> major >> colon >> minor)) continue;
    ModuleHarness h("biosnoop", "disk = " + entry.path().filename().string() + "\n");
    std::vector<std::string> defines = h.spec().defines(h.options());
    std::string expected = "FILTER_DEV=" + std::to_string((uint64_t{major} << 20) | minor) + "u";
    EXPECT_NE(std::find(defines.begin(), defines.end(), expected), defines.end()) << expected;
    break;
  }
}

TEST(Biosnoop, DescriptorsArePmdabpfs) {
  ModuleHarness h("biosnoop");
  std::map<std::string, std::pair<int, int>> expected = {
      {"biosnoop.comm", {PM_TYPE_STRING, PM_SEM_INSTANT}},
      {"biosnoop.pid", {PM_TYPE_U32, PM_SEM_DISCRETE}},
      {"biosnoop.disk", {PM_TYPE_STRING, PM_SEM_INSTANT}},
      {"biosnoop.rwbs", {PM_TYPE_STRING, PM_SEM_INSTANT}},
      {"biosnoop.sector", {PM_TYPE_U64, PM_SEM_DISCRETE}},
      {"biosnoop.bytes", {PM_TYPE_U32, PM_SEM_DISCRETE}},
      {"biosnoop.lat", {PM_TYPE_U64, PM_SEM_DISCRETE}},
      {"biosnoop.qlat", {PM_TYPE_U64, PM_SEM_DISCRETE}},
      {"biosnoop.lost", {PM_TYPE_U32, PM_SEM_COUNTER}}};
  ASSERT_EQ(h.spec().metrics().size(), expected.size());
  for (const MetricSpec& m : h.spec().metrics()) {
    ASSERT_TRUE(expected.count(m.name)) << m.name;
    EXPECT_EQ(m.type, expected[m.name].first) << m.name;
    EXPECT_EQ(m.semantics, expected[m.name].second) << m.name;
    if (m.name != "biosnoop.lost") {
      EXPECT_EQ(m.units.dimTime, 0) << m.name << ": no units";
    }
  }
}

}  // namespace
