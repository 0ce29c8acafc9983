// vfsstat on fake maps: five singular counters, each the sum of its slot of
// the hit counter program's `hits` rows (slot i of every CPU's row, summed
// by the reader), read once per fetch; one kprobe per VFS function, each
// optional, so that only a missing function's counter goes without values.
#include <algorithm>

#include "module/hit_counters.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

namespace {

const char* const kNames[] = {"read", "write", "fsync", "open", "create"};

TEST(Vfsstat, EachCounterIsItsSlotOfTheHits) {
  ModuleHarness h("vfsstat");
  h.maps.slots["hits"] = {11, 22, 33, 44, 55};
  auto values = h.fetch();
  for (size_t i = 0; i < 5; i++) {
    const std::vector<Sample>& v = values[std::string("vfsstat.") + kNames[i]];
    ASSERT_EQ(v.size(), 1u) << kNames[i];
    EXPECT_EQ(v[0].instance, "");
    EXPECT_EQ(std::get<uint64_t>(v[0].value), 11u * (i + 1)) << kNames[i];
  }
  EXPECT_EQ(h.maps.slot_reads, (std::map<std::string, int>{{"hits", 1}}));
  h.maps.slots["hits"] = {12, 22, 33, 44, 60};  // followed fetch by fetch
  values = h.fetch();
  EXPECT_EQ(std::get<uint64_t>(values["vfsstat.read"].at(0).value), 12u);
  EXPECT_EQ(std::get<uint64_t>(values["vfsstat.create"].at(0).value), 60u);
}

TEST(Vfsstat, DescriptorsArePmdabpfs) {
  ModuleHarness h("vfsstat");
  ASSERT_EQ(h.spec().metrics().size(), 5u);
  for (const MetricSpec& m : h.spec().metrics()) {
    EXPECT_EQ(m.type, PM_TYPE_U64) << m.name;
    EXPECT_EQ(m.semantics, PM_SEM_COUNTER) << m.name;
    EXPECT_EQ(m.units.dimCount, 1) << m.name;
    EXPECT_FALSE(m.has_instances) << m.name;
    ASSERT_EQ(m.needs_probes.size(), 1u) << m.name;
    EXPECT_EQ("vfsstat." + m.needs_probes[0], m.name);
  }
}

TEST(Vfsstat, OneOptionalKprobePerFunctionIntoItsSlot) {
  ModuleHarness h("vfsstat");
  std::vector<std::string> defines = h.spec().defines(h.options());
  EXPECT_NE(std::find(defines.begin(), defines.end(), "PROBE_COUNT=5"), defines.end());
  std::vector<ProbeChain> chains = h.spec().probes(h.options());
  ASSERT_EQ(chains.size(), 5u);
  const char* const functions[] = {"vfs_read", "vfs_write", "vfs_fsync", "vfs_open",
                                   "vfs_create"};
  for (size_t i = 0; i < 5; i++) {
    EXPECT_EQ(chains[i].name, kNames[i]);
    EXPECT_TRUE(chains[i].optional);
    ASSERT_EQ(chains[i].alternatives.size(), 1u);
    EXPECT_EQ(chains[i].alternatives[0].describe(), std::string("kprobe ") + functions[i]);
    EXPECT_EQ(chains[i].alternatives[0].function_name(), hit_function(i));
  }
}

}  // namespace
