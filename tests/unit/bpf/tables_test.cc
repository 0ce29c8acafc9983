// Fields of raw map keys and values, as modules read them, and map reads,
// writes and clearing through libbpf on real kernel maps (root and bpf()
// needed: skipped, with the reason, where the kernel refuses).
#include "bpf/tables.h"

#include <gtest/gtest.h>
#include <linux/bpf.h>

#include <map>
#include <stdexcept>
#include <vector>

#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::bytes;
using bcc::testing::TestMaps;

namespace {

TEST(Field, ReadsAtTheOffsetAndIsZeroOutOfRange) {
  std::string bytes("\x01\x00\x00\x00\x02\x00\x00\x00", 8);
  EXPECT_EQ(field<uint32_t>(bytes, 0), 1u);
  EXPECT_EQ(field<uint32_t>(bytes, 4), 2u);
  EXPECT_EQ(field<uint32_t>(bytes, 6), 0u);
}

TEST(TextField, StopsAtTheFirstNulOrTheFieldsEnd) {
  std::string key("\x07\x00\x00\x00" "bash\0\0\0\0" "abcdefgh", 20);
  EXPECT_EQ(text_field(key, 4, 8), "bash");
  EXPECT_EQ(text_field(key, 12, 8), "abcdefgh");   // full: no NUL inside
  EXPECT_EQ(text_field(key, 12, 16), "abcdefgh");  // cut by the end of the bytes
  EXPECT_EQ(text_field(key, 20, 4), "");
  EXPECT_EQ(text_field(key, 40, 4), "");
}

TEST(Tables, HashEntriesReadUpdatedDeletedCleared) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "counts", BPF_MAP_TYPE_HASH, 4, 8, 64);
  MapInfo info = map_info(maps, "counts");
  EXPECT_EQ(info.type, uint32_t{BPF_MAP_TYPE_HASH});
  EXPECT_EQ(info.key_size, 4u);
  EXPECT_EQ(info.value_size, 8u);
  EXPECT_EQ(info.max_entries, 64u);
  EXPECT_TRUE(info.keyed());
  for (uint32_t k = 1; k <= 3; k++)
    EXPECT_TRUE(update_entry(maps, "counts", bytes(k), bytes(uint64_t{k * 10})));
  EXPECT_FALSE(update_entry(maps, "counts", bytes(uint64_t{1}), bytes(uint64_t{1})));  // key size
  EXPECT_FALSE(update_entry(maps, "counts", bytes(uint32_t{1}), bytes(uint32_t{1})));  // value size
  std::map<uint32_t, uint64_t> seen;
  for (auto& [key, value] : read_u64_hash(maps, "counts")) seen[field<uint32_t>(key, 0)] = value;
  EXPECT_EQ(seen, (std::map<uint32_t, uint64_t>{{1, 10}, {2, 20}, {3, 30}}));
  EXPECT_TRUE(delete_entry(maps, "counts", bytes(uint32_t{2})));
  EXPECT_FALSE(delete_entry(maps, "counts", bytes(uint32_t{2})));
  EXPECT_EQ(read_entries(maps, "counts").size(), 2u);
  clear_map(maps, "counts");
  EXPECT_TRUE(read_entries(maps, "counts").empty());
  clear_map(maps, "counts");  // already empty
  EXPECT_THROW(read_entries(maps, "no_such_map"), std::runtime_error);
}

TEST(Tables, ClearingAFullHashRemovesEveryKey) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "full", BPF_MAP_TYPE_HASH, 8, 4, 1000);
  for (uint64_t k = 0; k < 1000; k++) ASSERT_TRUE(update_entry(maps, "full", bytes(k), bytes(1u)));
  EXPECT_FALSE(update_entry(maps, "full", bytes(uint64_t{5000}), bytes(1u)));  // full
  EXPECT_EQ(read_entries(maps, "full").size(), 1000u);
  clear_map(maps, "full");
  EXPECT_TRUE(read_entries(maps, "full").empty());
}

// Every entry comes back once, with its own value, whatever the hash's type.
TEST(Tables, LargeHashesOfEveryTypeAreReadWhole) {
  for (bpf_map_type type : {BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_PERCPU_HASH,
                            BPF_MAP_TYPE_LRU_PERCPU_HASH}) {
    SCOPED_TRACE(type);
    TestMaps maps;
    CREATE_OR_SKIP(maps, "big", type, 8, 8, 5000);
    size_t copies = map_info(maps, "big").per_cpu() ? possible_cpus() : 1;
    const uint64_t count = 1500;
    for (uint64_t k = 0; k < count; k++) {
      std::string value;
      for (size_t cpu = 0; cpu < copies; cpu++) value += bytes(k * 3);
      ASSERT_TRUE(update_entry(maps, "big", bytes(k), value));
    }
    std::map<uint64_t, uint64_t> seen;
    for (auto& [key, value] : read_u64_hash(maps, "big")) {
      EXPECT_TRUE(seen.emplace(field<uint64_t>(key, 0), value).second) << "read twice";
    }
    ASSERT_EQ(seen.size(), count);
    for (auto& [key, value] : seen) ASSERT_EQ(value, key * 3 * copies) << "key " << key;
  }
}

TEST(Tables, AnEmptyHashReadsEmpty) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "empty", BPF_MAP_TYPE_HASH, 4, 8, 16);
  EXPECT_TRUE(read_entries(maps, "empty").empty());
}

TEST(Tables, PerCpuValuesAreSummed) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "percpu", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4);
  CREATE_OR_SKIP(maps, "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4);
  size_t cpus = possible_cpus();
  ASSERT_GT(cpus, 0u);
  std::string values;
  for (size_t cpu = 0; cpu < cpus; cpu++) values += bytes(uint64_t{cpu + 1});
  uint64_t sum = cpus * (cpus + 1) / 2;
  EXPECT_TRUE(update_entry(maps, "percpu", bytes(uint32_t{2}), values));
  EXPECT_FALSE(update_entry(maps, "percpu", bytes(uint32_t{2}), bytes(uint64_t{1})));
  EXPECT_EQ(read_u64_array(maps, "percpu"), (std::vector<uint64_t>{0, 0, sum, 0}));
  EXPECT_TRUE(update_entry(maps, "percpu_hash", bytes(uint32_t{7}), values));
  auto hash = read_u64_hash(maps, "percpu_hash");
  ASSERT_EQ(hash.size(), 1u);
  EXPECT_EQ(hash[0].second, sum);
  EXPECT_EQ(read_entries(maps, "percpu_hash")[0].value.size(), cpus * 8);
  clear_map(maps, "percpu");  // arrays: every slot zero
  EXPECT_EQ(read_u64_array(maps, "percpu"), (std::vector<uint64_t>{0, 0, 0, 0}));
}

TEST(Tables, ArraysOfU64BySlot) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "dist", BPF_MAP_TYPE_ARRAY, 4, 8, 64);
  CREATE_OR_SKIP(maps, "flags", BPF_MAP_TYPE_ARRAY, 4, 4, 1);
  EXPECT_TRUE(update_entry(maps, "dist", bytes(uint32_t{0}), bytes(uint64_t{5})));
  EXPECT_TRUE(update_entry(maps, "dist", bytes(uint32_t{63}), bytes(uint64_t{7})));
  EXPECT_FALSE(update_entry(maps, "dist", bytes(uint32_t{64}), bytes(uint64_t{7})));  // no slot
  std::vector<uint64_t> slots = read_u64_array(maps, "dist");
  ASSERT_EQ(slots.size(), 64u);
  EXPECT_EQ(slots[0], 5u);
  EXPECT_EQ(slots[63], 7u);
  EXPECT_EQ(slots[1], 0u);
  EXPECT_THROW(read_u64_array(maps, "flags"), std::runtime_error);  // u32 values
  EXPECT_TRUE(update_entry(maps, "flags", bytes(uint32_t{0}), bytes(uint32_t{1})));
  EXPECT_EQ(field<uint32_t>(read_entries(maps, "flags")[0].value, 0), 1u);
  clear_map(maps, "dist");
  EXPECT_EQ(read_u64_array(maps, "dist"), std::vector<uint64_t>(64, 0));
}

// Arrays the agent maps into its memory (BPF_F_MMAPABLE): the same values
// as lookups give, slot after slot, whatever the value size (the kernel
// lays slots out 8-byte aligned).
TEST(Tables, MmapableArraysAreReadFromMemory) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "stats", BPF_MAP_TYPE_ARRAY, 4, 24, 2048, BPF_F_MMAPABLE);
  CREATE_OR_SKIP(maps, "odd", BPF_MAP_TYPE_ARRAY, 4, 12, 700, BPF_F_MMAPABLE);
  EXPECT_TRUE(map_info(maps, "stats").mmapable());
  std::string stats_value;
  for (uint64_t v : {uint64_t{1}, uint64_t{2}, uint64_t{3}}) stats_value += bytes(v);
  ASSERT_TRUE(update_entry(maps, "stats", bytes(uint32_t{1025}), stats_value));
  std::string odd_value = bytes(uint64_t{0x0102030405060708}) + bytes(uint32_t{9});
  ASSERT_TRUE(update_entry(maps, "odd", bytes(uint32_t{0}), odd_value));
  ASSERT_TRUE(update_entry(maps, "odd", bytes(uint32_t{699}), odd_value));

  MapBytes stats = read_array_values(maps, "stats");
  ASSERT_EQ(stats.size(), 2048u * 24);
  EXPECT_EQ(std::string(stats.items().data() + 1025 * 24, 24), stats_value);
  EXPECT_EQ(std::string(stats.items().data() + 1024 * 24, 24), std::string(24, '\0'));
  MapBytes odd = read_array_values(maps, "odd");
  ASSERT_EQ(odd.size(), 700u * 12);
  EXPECT_EQ(std::string(odd.items().data(), 12), odd_value);
  EXPECT_EQ(std::string(odd.items().data() + 12, 12), std::string(12, '\0'));
  EXPECT_EQ(std::string(odd.items().data() + 699 * 12, 12), odd_value);
}

// Counters the program keeps in one row per possible CPU of a mmapable
// array (modules/cpu_rows.h): read as one row, the rows summed.
TEST(Tables, MmapableU64ArraysAreOneRowPerCpu) {
  TestMaps maps;
  uint32_t cpus = static_cast<uint32_t>(possible_cpus());
  CREATE_OR_SKIP(maps, "dist", BPF_MAP_TYPE_ARRAY, 4, 8, 64 * cpus, BPF_F_MMAPABLE);
  ASSERT_TRUE(update_entry(maps, "dist", bytes(uint32_t{63}), bytes(uint64_t{7})));
  ASSERT_TRUE(update_entry(maps, "dist", bytes(uint32_t{(cpus - 1) * 64 + 63}),
                           bytes(uint64_t{3})));
  ASSERT_TRUE(update_entry(maps, "dist", bytes(uint32_t{(cpus - 1) * 64}), bytes(uint64_t{1})));
  std::vector<uint64_t> dist = read_u64_array(maps, "dist");
  ASSERT_EQ(dist.size(), 64u);
  EXPECT_EQ(dist[63], cpus > 1 ? 10u : 3u);  // one CPU: both writes hit one slot
  EXPECT_EQ(dist[0], 1u);
  EXPECT_EQ(dist[1], 0u);
  if (cpus == 1) GTEST_SKIP() << "one possible CPU: every array is one row";
  CREATE_OR_SKIP(maps, "uneven", BPF_MAP_TYPE_ARRAY, 4, 8, 64 * cpus + 1, BPF_F_MMAPABLE);
  EXPECT_THROW(read_u64_array(maps, "uneven"), std::runtime_error);
}

// Arrays that cannot be mapped: every slot's per-CPU copies in turn, from
// one batch lookup (or slot by slot on kernels without it).
TEST(Tables, ArrayValuesOfPerCpuArraysHoldEveryCopy) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "percpu", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 16);
  size_t cpus = possible_cpus();
  std::string value;
  for (size_t cpu = 0; cpu < cpus; cpu++) value += bytes(uint64_t{100 + cpu});
  ASSERT_TRUE(update_entry(maps, "percpu", bytes(uint32_t{15}), value));
  MapBytes values = read_array_values(maps, "percpu");
  ASSERT_EQ(values.size(), 16 * cpus * 8);
  EXPECT_EQ(std::string(values.items().data() + 15 * cpus * 8, cpus * 8), value);
  EXPECT_EQ(std::string(values.items().data(), cpus * 8), std::string(cpus * 8, '\0'));
  EXPECT_THROW(read_array_values(maps, "no such map"), std::runtime_error);
}

}  // namespace
