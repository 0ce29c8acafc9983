// A mmapable array mapped once: later kernel writes show in its copies,
// slots laid out as lookups give them; other maps are not mapped.
#include "bpf/mapped_array.h"

#include <gtest/gtest.h>
#include <linux/bpf.h>

#include <string>
#include <vector>

#include "bpf/tables.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::bytes;
using bcc::testing::TestMaps;

namespace {

TEST(MappedArray, CopiesSeeWhatTheKernelWritesAfterTheMapping) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "odd", BPF_MAP_TYPE_ARRAY, 4, 12, 300, BPF_F_MMAPABLE);
  auto mapped = MappedArray::map(maps.fd("odd"), map_info(maps, "odd"));
  ASSERT_NE(mapped, nullptr);
  std::vector<char> values;
  mapped->copy_values(values);
  EXPECT_EQ(values, std::vector<char>(300 * 12, '\0'));
  std::string value = bytes(uint64_t{0x0102030405060708}) + bytes(uint32_t{9});
  ASSERT_TRUE(update_entry(maps, "odd", bytes(uint32_t{299}), value));
  mapped->copy_values(values);
  ASSERT_EQ(values.size(), 300u * 12);
  EXPECT_EQ(std::string(values.data() + 299 * 12, 12), value);
  EXPECT_EQ(std::string(values.data() + 298 * 12, 12), std::string(12, '\0'));
}

TEST(MappedArray, OnlyMmapableArraysAreMapped) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "plain", BPF_MAP_TYPE_ARRAY, 4, 8, 64);
  CREATE_OR_SKIP(maps, "per_cpu", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 64);
  EXPECT_EQ(MappedArray::map(maps.fd("plain"), map_info(maps, "plain")), nullptr);
  EXPECT_EQ(MappedArray::map(maps.fd("per_cpu"), map_info(maps, "per_cpu")), nullptr);
}

}  // namespace
