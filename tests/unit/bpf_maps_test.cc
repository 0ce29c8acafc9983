// Map reads, writes and perf buffers through libbpf on real kernel maps
// (root and bpf() needed: skipped, with the reason, where the kernel refuses).
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string_view>
#include <stdexcept>

#include "bpf/hash_batch.h"
#include "bpf/kernel_stats.h"
#include "bpf/perf_reader.h"
#include "bpf/symbols.h"
#include "bpf/tables.h"

using namespace bcc;

namespace {

// Maps created here, by name, closed at the end of the test.
class TestMaps : public Maps {
 public:
  ~TestMaps() override {
    for (auto& [name, fd] : fds_) close(fd);
  }
  int fd(const std::string& name) const override {
    auto it = fds_.find(name);
    if (it == fds_.end()) throw std::runtime_error("no map '" + name + "'");
    return it->second;
  }
  // The error (errno) when the kernel refuses, else 0.
  int create(const std::string& name, bpf_map_type type, uint32_t key_size, uint32_t value_size,
             uint32_t max_entries) {
    int fd = bpf_map_create(type, name.c_str(), key_size, value_size, max_entries, nullptr);
    if (fd < 0) return errno;
    fds_[name] = fd;
    return 0;
  }

 private:
  std::map<std::string, int> fds_;
};

#define CREATE_OR_SKIP(maps, ...)                                                        \
  do {                                                                                   \
    int error = (maps).create(__VA_ARGS__);                                              \
    if (error == EPERM || error == EACCES)                                               \
      GTEST_SKIP() << "bpf(BPF_MAP_CREATE) refused: " << std::strerror(error)            \
                   << " (needs root / CAP_BPF)";                                         \
    ASSERT_EQ(error, 0) << std::strerror(error);                                         \
  } while (0)

template <typename T>
std::string bytes(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof value);
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

TEST(Stacks, UnknownOrNegativeIdsHaveNoFrames) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "stack_traces", BPF_MAP_TYPE_STACK_TRACE, 4, 127 * 8, 128);
  EXPECT_TRUE(stack_addresses(maps, "stack_traces", -14).empty());
  EXPECT_TRUE(stack_addresses(maps, "stack_traces", 3).empty());
  clear_map(maps, "stack_traces");  // empty: nothing to delete, no error
  EXPECT_THROW(stack_addresses(maps, "no_such_map", 3), std::runtime_error);
}

// ---- perf buffers --------------------------------------------------------

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst;
  i.src_reg = src;
  i.off = off;
  i.imm = imm;
  return i;
}

// A socket filter that sends `value` (8 bytes) to perf event array `map_fd`
// on the current CPU, run once with BPF_PROG_TEST_RUN.
int send_one_event(int map_fd, uint64_t value) {
  std::vector<bpf_insn> program = {
      insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),  // r6 = ctx
      insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, 0, 0, static_cast<int32_t>(value)),
      insn(0, 0, 0, 0, static_cast<int32_t>(value >> 32)),
      insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_2, -8, 0),  // *(fp - 8) = r2
      insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0),   // r1 = ctx
      insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0, map_fd),
      insn(0, 0, 0, 0, 0),
      insn(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, -1),  // BPF_F_CURRENT_CPU
      insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_4, BPF_REG_10, 0, 0),
      insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_4, 0, 0, -8),
      insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_5, 0, 0, 8),
      insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_perf_event_output),
      insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
      insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
  };
  int prog = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "perf_test", "GPL", program.data(),
                           program.size(), nullptr);
  if (prog < 0) return -errno;
  char packet[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = packet, .data_size_in = sizeof packet);
  int rc = bpf_prog_test_run_opts(prog, &run);
  int error = rc < 0 ? -errno : 0;
  close(prog);
  return error;
}

TEST(PerfReader, DeliversRecordsOfTheRing) {
  TestMaps maps;
  int cpus = libbpf_num_possible_cpus();
  CREATE_OR_SKIP(maps, "events", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, static_cast<uint32_t>(cpus));
  std::vector<uint64_t> received;
  uint64_t lost = 0;
  PerfReader reader(
      maps.fd("events"), 8,
      [&](const void* data, size_t size) {
        // the kernel pads raw samples so that size + 4 is a multiple of 8
        ASSERT_EQ(size, 12u);
        uint64_t v;
        std::memcpy(&v, data, 8);
        received.push_back(v);
      },
      [&](uint64_t n) { lost += n; });
  EXPECT_EQ(reader.poll(0), 0);  // nothing yet
  int error = send_one_event(maps.fd("events"), 0x1122334455667788ULL);
  if (error == -EPERM || error == -EACCES || error == -EINVAL)
    GTEST_SKIP() << "cannot run a test program here: " << std::strerror(-error);
  ASSERT_EQ(error, 0) << std::strerror(-error);
  EXPECT_GT(reader.poll(1000), 0);
  EXPECT_EQ(received, std::vector<uint64_t>{0x1122334455667788ULL});
  EXPECT_EQ(lost, 0u);
}

TEST(PerfReader, ExceptionsOfTheHandlerComeOutOfPoll) {
  TestMaps maps;
  int cpus = libbpf_num_possible_cpus();
  CREATE_OR_SKIP(maps, "events", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, static_cast<uint32_t>(cpus));
  PerfReader reader(
      maps.fd("events"), 1, [](const void*, size_t) { throw std::runtime_error("bad record"); },
      nullptr);
  int error = send_one_event(maps.fd("events"), 1);
  if (error != 0) GTEST_SKIP() << "cannot run a test program here: " << std::strerror(-error);
  EXPECT_THROW(reader.poll(1000), std::runtime_error);
  EXPECT_EQ(reader.poll(0), 0);  // the exception was handed over once
}

TEST(PerfReader, RefusesBadSizesAndMaps) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "hash", BPF_MAP_TYPE_HASH, 4, 4, 4);
  auto ignore = [](const void*, size_t) {};
  EXPECT_THROW(PerfReader(maps.fd("hash"), 3, ignore, nullptr), std::runtime_error);
  EXPECT_THROW(PerfReader(maps.fd("hash"), 0, ignore, nullptr), std::runtime_error);
  EXPECT_THROW(PerfReader(-1, 8, ignore, nullptr), std::runtime_error);
}

}  // namespace

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

// bcc.pmda.map.entries: keys counted by reading the map, or taken from a
// read the fetch already made; arrays report their slots.
TEST(MapUsage, HashesAreCountedUnlessTheFetchKnowsTheirEntries) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "hash", BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 1000);
  CREATE_OR_SKIP(maps, "array", BPF_MAP_TYPE_ARRAY, 4, 8, 32);
  std::string value(8 * possible_cpus(), '\0');
  for (uint32_t k = 0; k < 300; k++) ASSERT_TRUE(update_entry(maps, "hash", bytes(k), value));
  auto counted = map_usage(maps.fd("hash"));
  ASSERT_TRUE(counted);
  EXPECT_EQ(counted->entries, 300u);
  EXPECT_EQ(counted->capacity, 1000u);
  auto known = map_usage(maps.fd("hash"), 12);
  ASSERT_TRUE(known);
  EXPECT_EQ(known->entries, 12u);  // what the fetch's own read found
  EXPECT_EQ(known->capacity, 1000u);
  auto array = map_usage(maps.fd("array"), 5);
  ASSERT_TRUE(array);
  EXPECT_EQ(array->entries, 32u);  // an array's slots all exist
}
