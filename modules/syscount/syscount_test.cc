// syscount on fake maps: the array `stats` (syscount.h: struct
// syscount_calls { u64 count; }, with 'latency' struct syscount_timed_calls
// { u64 count; u64 latency_ns; u64 timed; }; one row of 1024 slots
// by syscall number per CPU, rows summed) gives bcc.proc.syscall.count,
// .latency.cml and .latency.avg (latency_ns / timed, integer) by syscall
// name ("read" for 0 on x86_64, "UNDEF<n>" for unknown numbers); with
// `details` and `process`, the hash pid_stats (key struct syscount_pid_call
// { u32 pid; u32 id; }, the same values) adds "PID::name" instances.
#include <unistd.h>

#include <cstring>

#include "module_harness.h"

using namespace bcc;
using bcc::testing::by_instance;
using bcc::testing::ModuleHarness;
using bcc::testing::Values;

namespace {

// One call's figures: count, latency_ns, timed.
struct Figures {
  uint64_t count = 0, latency_ns = 0, timed = 0;
};
using Row = std::map<size_t, Figures>;  // by syscall number

// a value's bytes: 8 (count) or, with latency, 24.
std::string value_of(const Figures& f, bool latency) {
  uint64_t fields[3] = {f.count, f.latency_ns, f.timed};
  return std::string(reinterpret_cast<const char*>(fields), latency ? 24 : 8);
}

// The `stats` array, one row per CPU, and its shape.
void fill_stats(ModuleHarness& h, std::vector<Row> rows, bool latency = false) {
  std::string bytes;
  for (const Row& row : rows)
    for (size_t id = 0; id < 1024; id++) {
      auto it = row.find(id);
      bytes += value_of(it != row.end() ? it->second : Figures{}, latency);
    }
  h.maps.arrays["stats"] = bytes;
  h.maps.shapes["stats"] = {BPF_MAP_TYPE_ARRAY, 4, latency ? 24u : 8u,
                            static_cast<uint32_t>(rows.size() * 1024), BPF_F_MMAPABLE};
}

MapEntry pid_syscall(uint32_t pid, uint32_t id, Figures f, bool latency = true) {
  std::string key(8, '\0');
  std::memcpy(key.data(), &pid, 4);
  std::memcpy(key.data() + 4, &id, 4);
  return {key, value_of(f, latency)};
}

void shape_hash(ModuleHarness& h, bool latency = true) {
  h.maps.shapes["pid_stats"] = {BPF_MAP_TYPE_HASH, 8, latency ? 24u : 8u, 10240};
}

TEST(Syscount, CountsBySyscallNameOnly) {
  ModuleHarness h("syscount");
  fill_stats(h, {{{0, {5}}, {1, {7}}, {59, {2}}, {257, {11}}, {1000, {4}}}});
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.syscall.count"]),
            (Values{{"read", 5}, {"write", 7}, {"execve", 2}, {"openat", 11}, {"UNDEF1000", 4}}));
  // no 'latency': neither latency metric has values
  EXPECT_TRUE(values["proc.syscall.latency.avg"].empty());
  EXPECT_TRUE(values["proc.syscall.latency.cml"].empty());
  EXPECT_EQ(h.maps.array_reads, (std::map<std::string, int>{{"stats", 1}}));
  EXPECT_TRUE(h.maps.entry_reads.empty());
}

TEST(Syscount, EveryCpusRowIsSummed) {
  ModuleHarness h("syscount", "latency = yes\n");
  fill_stats(h, {{{0, {1, 10, 1}}, {1, {2, 20, 2}}},
                 {{0, {3, 50, 3}}},
                 {{1, {4, 0, 0}}, {1023, {1, 7, 1}}}},
             true);
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.syscall.count"]),
            (Values{{"read", 4}, {"write", 6}, {"UNDEF1023", 1}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.cml"]),
            (Values{{"read", 60}, {"write", 20}, {"UNDEF1023", 7}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.avg"]),
            (Values{{"read", 15}, {"write", 10}, {"UNDEF1023", 7}}));
  // three metrics, one read of one array
  EXPECT_EQ(h.maps.array_reads, (std::map<std::string, int>{{"stats", 1}}));
}

TEST(Syscount, LatencyTotalsAndAverages) {
  ModuleHarness h("syscount", "latency = yes\n");
  // close (3) never seen entering: counted, not timed
  fill_stats(h, {{{0, {3, 1000, 3}}, {1, {9, 900, 9}}, {3, {1, 50, 0}}}}, true);
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.syscall.count"]), (Values{{"read", 3}, {"write", 9}, {"close", 1}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.cml"]),
            (Values{{"read", 1000}, {"write", 900}, {"close", 50}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.avg"]), (Values{{"read", 333}, {"write", 100}}));
}

TEST(Syscount, DetailsAddPidInstancesForFollowedProcesses) {
  uint32_t self = static_cast<uint32_t>(getpid());
  ModuleHarness h("syscount", "details = yes\nlatency = yes\nprocess = " + std::to_string(self) + "\n");
  shape_hash(h);
  fill_stats(h, {{{0, {4, 400, 4}}}}, true);
  // pid 1's write (1) never timed: a count, no latency instance
  h.maps.contents["pid_stats"] = {pid_syscall(self, 0, {4, 400, 4}), pid_syscall(1, 2, {6, 66, 6}),
                                  pid_syscall(1, 1, {2, 0, 0})};
  auto values = h.fetch();
  std::string me = std::to_string(self) + "::read";  // pid not padded, unlike bioperpid
  EXPECT_EQ(by_instance(values["proc.syscall.count"]),
            (Values{{"read", 4}, {me, 4}, {"1::open", 6}, {"1::write", 2}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.cml"]),
            (Values{{"read", 400}, {me, 400}, {"1::open", 66}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.avg"]),
            (Values{{"read", 100}, {me, 100}, {"1::open", 11}}));
  EXPECT_EQ(h.maps.entry_reads["pid_stats"], 1);
}

TEST(Syscount, DetailsWithoutLatencyCountOnly) {
  ModuleHarness h("syscount", "details = yes\nprocess = 1\n");
  shape_hash(h, false);
  fill_stats(h, {{{1, {8}}}});
  h.maps.contents["pid_stats"] = {pid_syscall(1, 1, {8}, false)};
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.syscall.count"]), (Values{{"write", 8}, {"1::write", 8}}));
  EXPECT_TRUE(values["proc.syscall.latency.cml"].empty());
}

TEST(Syscount, DetailsIgnoredWithoutProcess) {
  ModuleHarness h("syscount", "details = yes\n");
  shape_hash(h);
  fill_stats(h, {{{1, {8}}}});
  h.maps.contents["pid_stats"] = {pid_syscall(1, 1, {8}, false)};
  EXPECT_EQ(by_instance(h.fetch()["proc.syscall.count"]), (Values{{"write", 8}}));
  EXPECT_EQ(h.maps.entry_reads["pid_stats"], 0);
}

TEST(Syscount, ExitedProcessKeepsItsDetails) {
  ModuleHarness h("syscount", "details = yes\nprocess = 1\n");
  shape_hash(h, false);
  const uint32_t gone = 2000000000;  // no process has this pid
  fill_stats(h, {{}});
  h.maps.contents["pid_stats"] = {pid_syscall(gone, 1, {21}, false)};
  for (int fetch = 0; fetch < 2; fetch++) {
    EXPECT_EQ(by_instance(h.fetch()["proc.syscall.count"]), (Values{{"2000000000::write", 21}}))
        << "fetch " << fetch;
    EXPECT_TRUE(h.maps.contents["pid_stats"].empty());
  }
}

}  // namespace
