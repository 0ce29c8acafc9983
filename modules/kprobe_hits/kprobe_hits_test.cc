// kprobe_hits on fake maps: kprobe.hits.count, fail, latency.avg and
// latency.cml from the `stats` hash (struct key_t { u32 pid; u32 index; }
// -> struct stats_t { count; fail; latency_ns; }), instances the function
// (index into the kprobes list), or "PID::function" with details; the
// average is latency / count (0 without calls); unknown indexes skipped.
#include "map_bytes.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::by_instance;
using bcc::testing::ModuleHarness;
using bcc::testing::Values;
using bcc::testing::put;
using bcc::testing::u64s;

namespace {

MapEntry stats(uint32_t pid, uint32_t index, uint64_t count, uint64_t fail, uint64_t latency) {
  std::string key;
  put(key, 0, pid);
  put(key, 4, index);
  return {key, u64s({count, fail, latency})};
}

TEST(KprobeHits, EachFunctionFromItsIndex) {
  ModuleHarness h("kprobe_hits", "kprobes = vfs_read,vfs_write\nlatency = 1\nret_chk = 1\n");
  h.maps.contents["stats"] = {
      stats(0, 0, 40, 3, 8000),
      stats(0, 1, 0, 0, 0),
      stats(0, 2, 5, 5, 5),  // no such function
  };
  auto v = h.fetch();
  EXPECT_EQ(by_instance(v["kprobe.hits.count"]), (Values{{"vfs_read", 40}, {"vfs_write", 0}}));
  EXPECT_EQ(by_instance(v["kprobe.hits.fail"]), (Values{{"vfs_read", 3}, {"vfs_write", 0}}));
  EXPECT_EQ(by_instance(v["kprobe.hits.latency.avg"]),
            (Values{{"vfs_read", 200}, {"vfs_write", 0}}));
  EXPECT_EQ(by_instance(v["kprobe.hits.latency.cml"]),
            (Values{{"vfs_read", 8000}, {"vfs_write", 0}}));
}

TEST(KprobeHits, DetailsNamePidColonColonFunction) {
  ModuleHarness h("kprobe_hits", "kprobes = vfs_read,vfs_write\ndetails = 1\n");
  h.maps.contents["stats"] = {
      stats(1234, 1, 17, 1, 340),
      stats(42, 0, 9, 0, 90),
  };
  auto v = h.fetch();
  EXPECT_EQ(by_instance(v["kprobe.hits.count"]),
            (Values{{"1234::vfs_write", 17}, {"42::vfs_read", 9}}));
  EXPECT_EQ(by_instance(v["kprobe.hits.latency.avg"]),
            (Values{{"1234::vfs_write", 20}, {"42::vfs_read", 10}}));
}

}  // namespace
