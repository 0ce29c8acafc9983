// The kernel's count of every hash's entries (bpf_map_sum_elem_count, read
// through the agent's map iterator), on real kernel maps (root and bpf()
// needed: skipped, with the reason, where the kernel refuses).
#include "bpf/entry_counter.h"

#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>

#include <map>
#include <string>

#include "bpf/map_snapshot.h"
#include "bpf/tables.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::bytes;
using bcc::testing::TestMaps;

namespace {

uint32_t map_id(int fd) {
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

// The kernel's count of each hash's entries is the number of keys a walk
// finds, for every kind of hash, after inserts, deletes and, in LRU hashes,
// evictions.
TEST(EntryCounter, CountsWhatAWalkFinds) {
  std::string why;
  auto counter = EntryCounter::open(&why);
  if (!counter) GTEST_SKIP() << why;
  TestMaps maps;
  struct Kind {
    const char* name;
    bpf_map_type type;
    uint32_t flags;
  };
  const Kind kinds[] = {{"hash", BPF_MAP_TYPE_HASH, 0},
                        {"no_prealloc", BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC},
                        {"percpu_hash", BPF_MAP_TYPE_PERCPU_HASH, 0},
                        {"lru", BPF_MAP_TYPE_LRU_HASH, 0},
                        {"lru_percpu", BPF_MAP_TYPE_LRU_PERCPU_HASH, 0}};
  for (const Kind& k : kinds) CREATE_OR_SKIP(maps, k.name, k.type, 4, 8, 512, k.flags);
  for (const Kind& k : kinds) {
    bool per_cpu = k.type == BPF_MAP_TYPE_PERCPU_HASH || k.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
    std::string value(8 * (per_cpu ? possible_cpus() : 1), '\0');
    bool lru = k.type == BPF_MAP_TYPE_LRU_HASH || k.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
    // LRU hashes: past their capacity, new keys evict old ones
    for (uint32_t key = 0; key < (lru ? 2000u : 300u); key++)
      update_entry(maps, k.name, bytes(key), value);
    for (uint32_t key = 0; key < 2000; key += 7) delete_entry(maps, k.name, bytes(key));
  }
  auto counts = counter->count();
  ASSERT_TRUE(counts);
  for (const Kind& k : kinds) {
    uint32_t id = map_id(maps.fd(k.name));
    ASSERT_TRUE(counts->count(id)) << k.name;
    EXPECT_EQ(counts->at(id), read_entries(maps, k.name).size()) << k.name;
  }
  // counted again: now
  clear_map(maps, "hash");
  EXPECT_EQ(counter->count()->at(map_id(maps.fd("hash"))), 0u);
}

// Real maps whose reads of entries are counted.
class CountingTestMaps : public TestMaps {
 public:
  MapEntries entries(const std::string& name) override {
    reads[name]++;
    return TestMaps::entries(name);
  }
  std::map<std::string, int> reads;
};

// In the agent's fetches a hash the kernel counts empty is not read; one
// with entries is, and so is one the agent wrote in the snapshot. Each new
// fetch counts again.
TEST(EntryCounter, SnapshotsSkipHashesCountedEmpty) {
  if (!EntryCounter::open()) GTEST_SKIP() << "the kernel does not count map entries";
  CountingTestMaps maps;
  CREATE_OR_SKIP(maps, "empty", BPF_MAP_TYPE_HASH, 4, 8, 10240);
  CREATE_OR_SKIP(maps, "full", BPF_MAP_TYPE_LRU_HASH, 4, 8, 10240);
  ASSERT_TRUE(update_entry(maps, "full", bytes(uint32_t{1}), bytes(uint64_t{2})));
  begin_counting_fetch();
  {
    MapSnapshot snapshot(maps);
    EXPECT_TRUE(read_entries(snapshot, "empty").empty());
    EXPECT_EQ(read_entries(snapshot, "full").size(), 1u);
    EXPECT_EQ(snapshot.entry_counts(), (std::map<std::string, uint64_t>{{"empty", 0}, {"full", 1}}));
  }
  EXPECT_EQ(maps.reads, (std::map<std::string, int>{{"full", 1}}));
  {
    // written by the agent during the snapshot: read again from the kernel
    MapSnapshot snapshot(maps);
    ASSERT_TRUE(update_entry(snapshot, "empty", bytes(uint32_t{3}), bytes(uint64_t{4})));
    EXPECT_EQ(read_entries(snapshot, "empty").size(), 1u);
  }
  EXPECT_EQ(maps.reads["empty"], 1);
  begin_counting_fetch();
  {
    MapSnapshot snapshot(maps);
    EXPECT_EQ(read_entries(snapshot, "empty").size(), 1u);  // counted anew: one entry
  }
  EXPECT_EQ(maps.reads["empty"], 2);
}

}  // namespace
