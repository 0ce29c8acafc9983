// tcpperpid on fake maps: proc.io.net.total.tx/rx of each process from its
// struct traffic { u64 tx; u64 rx; } entry keyed by u32 pid, instances the
// pid as six digits; an exited process keeps its totals for exited_grace
// (taken out of the kernel map), or is dropped at once with exited_grace = 0.
#include <unistd.h>

#include "bpf/maps.h"
#include "map_bytes.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::bytes_of;
using bcc::testing::by_instance;
using bcc::testing::ModuleHarness;
using bcc::testing::Values;
using bcc::testing::u64s;

namespace {

const uint32_t kExited = 2000000000;  // no process has this pid

MapEntry traffic(uint32_t pid, uint64_t tx, uint64_t rx) { return {bytes_of(pid), u64s({tx, rx})}; }

void shape(ModuleHarness& h) { h.maps.shapes["traffic"] = {BPF_MAP_TYPE_LRU_HASH, 4, 16, 10240}; }

std::string six_digits(uint32_t pid) {
  char text[16];
  snprintf(text, sizeof text, "%06u", pid);
  return text;
}

TEST(Tcpperpid, TxAndRxOfEachRunningProcess) {
  ModuleHarness h("tcpperpid");
  shape(h);
  uint32_t self = getpid(), parent = getppid();
  h.maps.contents["traffic"] = {traffic(self, 1001, 2002), traffic(parent, 3003, 4004)};
  auto values = h.fetch();
  using M = std::map<std::string, uint64_t>;
  EXPECT_EQ(by_instance(values["proc.io.net.total.tx"]),
            (M{{six_digits(self), 1001}, {six_digits(parent), 3003}}));
  EXPECT_EQ(by_instance(values["proc.io.net.total.rx"]),
            (M{{six_digits(self), 2002}, {six_digits(parent), 4004}}));
  EXPECT_EQ(h.maps.contents["traffic"].size(), 2u);  // running: left in the kernel map
}

TEST(Tcpperpid, SmallPidIsPaddedToSixDigits) {
  EXPECT_EQ(six_digits(1), "000001");  // the form the module documents ("000441")
  ModuleHarness h("tcpperpid");
  shape(h);
  h.maps.contents["traffic"] = {traffic(1, 7, 8)};  // init runs
  auto values = h.fetch();
  ASSERT_EQ(values["proc.io.net.total.tx"].size(), 1u);
  EXPECT_EQ(values["proc.io.net.total.tx"][0].instance, "000001");
  EXPECT_EQ(std::get<uint64_t>(values["proc.io.net.total.rx"][0].value), 8u);
}

TEST(Tcpperpid, ExitedProcessKeepsItsTotalsOutOfTheKernelMap) {
  ModuleHarness h("tcpperpid");
  shape(h);
  h.maps.contents["traffic"] = {traffic(kExited, 50, 60)};
  for (int fetch = 0; fetch < 2; fetch++) {
    auto values = h.fetch();
    EXPECT_EQ(by_instance(values["proc.io.net.total.tx"]),
              (std::map<std::string, uint64_t>{{"2000000000", 50}}))
        << "fetch " << fetch;
    EXPECT_EQ(by_instance(values["proc.io.net.total.rx"]),
              (std::map<std::string, uint64_t>{{"2000000000", 60}}));
    EXPECT_TRUE(h.maps.contents["traffic"].empty());  // taken out of the kernel
  }
}

TEST(Tcpperpid, ExitedProcessDroppedAtOnceWithoutGrace) {
  ModuleHarness h("tcpperpid", "exited_grace = 0\n");
  shape(h);
  uint32_t self = getpid();
  h.maps.contents["traffic"] = {traffic(kExited, 50, 60), traffic(self, 5, 6)};
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.io.net.total.tx"]),
            (std::map<std::string, uint64_t>{{six_digits(self), 5}}));
  EXPECT_EQ(h.maps.contents["traffic"].size(), 1u);
}

}  // namespace
