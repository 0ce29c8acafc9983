// cachestat on fake maps: the `counts` per-CPU array holds the running
// counts [accessed, added, account_dirtied, buffer_dirtied]; the module turns
// each interval's increase into total = accessed - buffer_dirtied, misses =
// added - account_dirtied (capped at total), hits = total - misses, dirtied =
// buffer_dirtied, and accumulates them into counters (no instances). The
// buffers/cached metrics come from /proc/meminfo, in Mbytes.
#include <fstream>

#include "module/collector.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

namespace {

// total, misses, hits, dirtied of one fetch
std::vector<uint64_t> counters(ModuleHarness& h) {
  auto values = h.fetch();
  std::vector<uint64_t> out;
  for (const char* name : {"total", "misses", "hits", "dirtied"}) {
    const auto& samples = values[std::string("mem.vmstat.") + name];
    EXPECT_EQ(samples.size(), 1u) << name;
    if (samples.size() != 1) return {};
    EXPECT_EQ(samples[0].instance, "") << name;
    out.push_back(std::get<uint64_t>(samples[0].value));
  }
  return out;
}

uint64_t meminfo_kbytes(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name;
  uint64_t kbytes = 0;
  while (in >> name >> kbytes) {
    if (name == key + ":") return kbytes;
    in.ignore(256, '\n');
  }
  return 0;
}

TEST(Cachestat, FirstFetchCountsEverythingSoFar) {
  ModuleHarness h("cachestat");
  h.maps.slots["counts"] = {100, 30, 10, 5};
  EXPECT_EQ(counters(h), (std::vector<uint64_t>{95, 20, 75, 5}));
  EXPECT_EQ(h.maps.slot_reads["counts"], 1);  // four readers, one read
}

TEST(Cachestat, LaterFetchesAddEachIntervalAndCapMissesAtTotal) {
  ModuleHarness h("cachestat");
  h.maps.slots["counts"] = {100, 30, 10, 5};
  counters(h);
  // +50 accessed, +70 added: 70 misses of 50 accesses -> all 50 were misses
  h.maps.slots["counts"] = {150, 100, 10, 5};
  EXPECT_EQ(counters(h), (std::vector<uint64_t>{145, 70, 75, 5}));
  // nothing new: counters stay
  EXPECT_EQ(counters(h), (std::vector<uint64_t>{145, 70, 75, 5}));
  // +10 accessed, +4 buffer dirtied, +3 added, +1 account dirtied
  h.maps.slots["counts"] = {160, 103, 11, 9};
  EXPECT_EQ(counters(h), (std::vector<uint64_t>{151, 72, 79, 9}));
}

TEST(Cachestat, SmallerCountsMeanAReloadedProgram) {
  ModuleHarness h("cachestat");
  h.maps.slots["counts"] = {100, 30, 10, 5};
  counters(h);
  h.maps.slots["counts"] = {8, 2, 0, 1};  // new program: all new events
  EXPECT_EQ(counters(h), (std::vector<uint64_t>{102, 22, 80, 6}));
}

TEST(Cachestat, WithoutTheAccessedProbeNoHitsAndMissesUncapped) {
  ModuleHarness h("cachestat");
  h.spec().collector()->running_without({"accessed"});
  h.maps.slots["counts"] = {0, 30, 10, 5};
  EXPECT_EQ(counters(h), (std::vector<uint64_t>{0, 20, 0, 5}));
}

TEST(Cachestat, BuffersAndCachedFromMeminfoInMbytes) {
  ModuleHarness h("cachestat");
  h.maps.slots["counts"] = {0, 0, 0, 0};
  auto values = h.fetch();
  for (const auto& [metric, key] : {std::pair<std::string, std::string>{"buffers", "Buffers"},
                                    {"cached", "Cached"}}) {
    const auto& samples = values["mem.vmstat." + metric];
    ASSERT_EQ(samples.size(), 1u) << metric;
    EXPECT_EQ(samples[0].instance, "");
    // the page cache moves between the two reads: within 64 Mbytes
    int64_t expected = static_cast<int64_t>(meminfo_kbytes(key) / 1024);
    int64_t got = static_cast<int64_t>(std::get<uint64_t>(samples[0].value));
    EXPECT_NEAR(got, expected, 64) << metric;
  }
}

}  // namespace
