// What the kernel says of a map's use, for bcc.pmda.map.*, on real maps.
#include "bpf/kernel_stats.h"

#include <bpf/bpf.h>
#include <gtest/gtest.h>

#include "bpf/tables.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::bytes;
using bcc::testing::TestMaps;

// bcc.pmda.map.entries: keys counted by reading the map, or taken from a
// read the fetch already made; arrays report their slots.
TEST(MapUsage, HashesAreCountedUnlessTheFetchKnowsTheirEntries) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "hash", BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 1000);
  CREATE_OR_SKIP(maps, "array", BPF_MAP_TYPE_ARRAY, 4, 8, 32);
  std::string value(8 * possible_cpus(), '\0');
  for (uint32_t k = 0; k < 300; k++) ASSERT_TRUE(update_entry(maps, "hash", bytes(k), value));
  auto counted = map_usage(maps.fd("hash"), maps.info("hash"));
  ASSERT_TRUE(counted);
  EXPECT_EQ(counted->entries, 300u);
  EXPECT_EQ(counted->capacity, 1000u);
  auto known = map_usage(maps.fd("hash"), maps.info("hash"), 12);
  ASSERT_TRUE(known);
  EXPECT_EQ(known->entries, 12u);  // what the fetch's own read found
  EXPECT_EQ(known->capacity, 1000u);
  auto array = map_usage(maps.fd("array"), maps.info("array"), 5);
  ASSERT_TRUE(array);
  EXPECT_EQ(array->entries, 32u);  // an array's slots all exist
  // the kernel's count by map id, when the fetch has none of its own
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  ASSERT_EQ(bpf_obj_get_info_by_fd(maps.fd("hash"), &info, &len), 0);
  EntryCounts kernel{{info.id, 299}};
  EXPECT_EQ(map_usage(maps.fd("hash"), maps.info("hash"), {}, &kernel)->entries, 299u);
  EXPECT_EQ(map_usage(maps.fd("hash"), maps.info("hash"), 12, &kernel)->entries, 12u);
  EntryCounts other{{info.id + 1, 7}};
  EXPECT_EQ(map_usage(maps.fd("hash"), maps.info("hash"), {}, &other)->entries, 300u);  // not there: walked
}
