// Hashes read in batches (BPF_MAP_LOOKUP_BATCH) on real kernel maps.
#include "bpf/hash_batch.h"

#include <gtest/gtest.h>

#include <map>
#include <string_view>

#include "bpf/tables.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::bytes;
using bcc::testing::TestMaps;

// Batches smaller than a bucket: the reader grows its buffers and goes on
// from the same bucket, so every entry still comes back once.
TEST(HashBatch, BucketsLargerThanTheBatchAreReadWhole) {
  TestMaps maps;
  // 200 keys in 256 buckets: many buckets hold two or more
  CREATE_OR_SKIP(maps, "crowded", BPF_MAP_TYPE_HASH, 8, 8, 256);
  for (uint64_t k = 0; k < 200; k++) ASSERT_TRUE(update_entry(maps, "crowded", bytes(k), bytes(k + 7)));
  HashShape shape{maps.fd("crowded"), 8, 8, 256};
  std::map<uint64_t, uint64_t> seen;
  bool batched = visit_hash_batched(
      shape,
      [&](std::string_view key, std::string_view value) {
        uint64_t k = field<uint64_t>(std::string(key), 0);
        EXPECT_TRUE(seen.emplace(k, field<uint64_t>(std::string(value), 0)).second) << k;
      },
      1);
  if (!batched) GTEST_SKIP() << "this kernel has no BPF_MAP_LOOKUP_BATCH for hashes";
  ASSERT_EQ(seen.size(), 200u);
  for (auto& [k, v] : seen) EXPECT_EQ(v, k + 7);
}

TEST(HashBatch, AnEmptyHashVisitsNothing) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "empty", BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 64);
  int visits = 0;
  HashShape shape{maps.fd("empty"), 4, 8 * possible_cpus(), 64};
  if (!visit_hash_batched(shape, [&](std::string_view, std::string_view) { visits++; }))
    GTEST_SKIP() << "this kernel has no BPF_MAP_LOOKUP_BATCH for hashes";
  EXPECT_EQ(visits, 0);
}
