// Perf buffers read through libbpf, fed by a test program the kernel runs
// (root and bpf() needed: skipped, with the reason, where the kernel refuses).
#include "bpf/perf_reader.h"
#include "bpf/instructions.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::TestMaps;

namespace {

constexpr auto insn = bpf_instruction;

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
