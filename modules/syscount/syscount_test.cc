// syscount on fake maps: the per-CPU arrays counts / latency_ns / timed (1024
// slots, by syscall number) give bcc.proc.syscall.count, .latency.cml and
// .latency.avg (latency_ns / timed, integer) by syscall name ("read" for 0 on
// x86_64, "UNDEF<n>" for unknown numbers); with `details` and `process`, the
// hashes pid_counts / pid_latency_ns / pid_timed (key struct pid_syscall
// { u32 pid; u32 id; }, value u64) add "PID::name" instances.
#include <unistd.h>

#include <cstring>

#include "module_harness.h"

using namespace bcc;
using bcc::testing::by_instance;
using bcc::testing::ModuleHarness;
using bcc::testing::Values;

namespace {

std::vector<uint64_t> slots(std::map<size_t, uint64_t> filled) {
  std::vector<uint64_t> out(1024, 0);
  for (auto [id, v] : filled) out[id] = v;
  return out;
}

MapEntry pid_syscall(uint32_t pid, uint32_t id, uint64_t v) {
  std::string key(8, '\0'), value(8, '\0');
  std::memcpy(key.data(), &pid, 4);
  std::memcpy(key.data() + 4, &id, 4);
  std::memcpy(value.data(), &v, 8);
  return {key, value};
}

void shape_hashes(ModuleHarness& h) {
  for (const char* hash : {"pid_counts", "pid_latency_ns", "pid_timed"})
    h.maps.shapes[hash] = {BPF_MAP_TYPE_HASH, 8, 8, 10240};
}

TEST(Syscount, CountsBySyscallNameOnly) {
  ModuleHarness h("syscount");
  h.maps.slots["counts"] = slots({{0, 5}, {1, 7}, {59, 2}, {257, 11}, {1000, 4}});
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.syscall.count"]),
            (Values{{"read", 5}, {"write", 7}, {"execve", 2}, {"openat", 11}, {"UNDEF1000", 4}}));
  // no 'latency': neither latency metric has values, nor are their maps read
  EXPECT_TRUE(values["proc.syscall.latency.avg"].empty());
  EXPECT_TRUE(values["proc.syscall.latency.cml"].empty());
  EXPECT_EQ(h.maps.slot_reads, (std::map<std::string, int>{{"counts", 1}}));
  EXPECT_TRUE(h.maps.entry_reads.empty());
}

TEST(Syscount, LatencyTotalsAndAverages) {
  ModuleHarness h("syscount", "latency = yes\n");
  h.maps.slots["counts"] = slots({{0, 3}, {1, 9}, {3, 1}});
  h.maps.slots["latency_ns"] = slots({{0, 1000}, {1, 900}, {3, 50}});
  h.maps.slots["timed"] = slots({{0, 3}, {1, 9}});  // close (3) never seen entering
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.syscall.count"]), (Values{{"read", 3}, {"write", 9}, {"close", 1}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.cml"]),
            (Values{{"read", 1000}, {"write", 900}, {"close", 50}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.avg"]), (Values{{"read", 333}, {"write", 100}}));
}

TEST(Syscount, DetailsAddPidInstancesForFollowedProcesses) {
  uint32_t self = static_cast<uint32_t>(getpid());
  ModuleHarness h("syscount", "details = yes\nlatency = yes\nprocess = " + std::to_string(self) + "\n");
  shape_hashes(h);
  h.maps.slots["counts"] = slots({{0, 4}});
  h.maps.slots["latency_ns"] = slots({{0, 400}});
  h.maps.slots["timed"] = slots({{0, 4}});
  h.maps.contents["pid_counts"] = {pid_syscall(self, 0, 4), pid_syscall(1, 2, 6)};
  h.maps.contents["pid_latency_ns"] = {pid_syscall(self, 0, 400), pid_syscall(1, 2, 66)};
  h.maps.contents["pid_timed"] = {pid_syscall(self, 0, 4), pid_syscall(1, 2, 6)};
  auto values = h.fetch();
  std::string me = std::to_string(self) + "::read";  // pid not padded, unlike bioperpid
  EXPECT_EQ(by_instance(values["proc.syscall.count"]), (Values{{"read", 4}, {me, 4}, {"1::open", 6}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.cml"]),
            (Values{{"read", 400}, {me, 400}, {"1::open", 66}}));
  EXPECT_EQ(by_instance(values["proc.syscall.latency.avg"]),
            (Values{{"read", 100}, {me, 100}, {"1::open", 11}}));
}

TEST(Syscount, DetailsIgnoredWithoutProcess) {
  ModuleHarness h("syscount", "details = yes\n");
  shape_hashes(h);
  h.maps.slots["counts"] = slots({{1, 8}});
  h.maps.contents["pid_counts"] = {pid_syscall(1, 1, 8)};
  EXPECT_EQ(by_instance(h.fetch()["proc.syscall.count"]), (Values{{"write", 8}}));
  EXPECT_EQ(h.maps.entry_reads["pid_counts"], 0);
}

TEST(Syscount, ExitedProcessKeepsItsDetails) {
  ModuleHarness h("syscount", "details = yes\nprocess = 1\n");
  shape_hashes(h);
  const uint32_t gone = 2000000000;  // no process has this pid
  h.maps.slots["counts"] = slots({});
  h.maps.contents["pid_counts"] = {pid_syscall(gone, 1, 21)};
  for (int fetch = 0; fetch < 2; fetch++) {
    EXPECT_EQ(by_instance(h.fetch()["proc.syscall.count"]), (Values{{"2000000000::write", 21}}))
        << "fetch " << fetch;
    EXPECT_TRUE(h.maps.contents["pid_counts"].empty());
  }
}

}  // namespace
