// klockstat on fake maps: kernel.lock.mutex.{spin,hold}.{avg,count,max,total}
// per caller from the {spin,hold}_{count,total,max} hashes (int stack id ->
// u64) and `stack_traces` (u32 id -> u64 addresses, innermost first). The
// caller is the first frame after the mutex code, named from /proc/kallsyms
// (with "+0x.." under use_caller_offset, joined by '+' up to stack_depth);
// stacks of one caller add up; "[unknown]" for an address no symbol covers,
// "<Missed Kernel Stack>" for a stack that is gone; caller_filter.
#include <fstream>
#include <sstream>

#include "map_bytes.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::bytes_of;
using bcc::testing::by_instance;
using bcc::testing::ModuleHarness;
using bcc::testing::Values;
using bcc::testing::u64s;

namespace {

// The address of a kernel text symbol in /proc/kallsyms, 0 if absent or hidden.
uint64_t kallsyms(const std::string& name) {
  std::ifstream in("/proc/kallsyms");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string address, type, symbol;
    fields >> address >> type >> symbol;
    if (symbol == name && (type == "T" || type == "t")) return std::stoull(address, nullptr, 16);
  }
  return 0;
}

MapEntry u64_entry(int32_t stack_id, uint64_t v) { return {bytes_of(stack_id), bytes_of(v)}; }

struct Klockstat {
  ModuleHarness h;
  uint64_t mutex_lock = kallsyms("mutex_lock"), vfs_read = kallsyms("vfs_read"),
           ksys_read = kallsyms("ksys_read");
  explicit Klockstat(const std::string& keys) : h("klockstat", keys) {
    h.maps.shapes["stack_traces"] = {BPF_MAP_TYPE_STACK_TRACE, 4, 127 * 8, 16384};
  }
  bool symbols() const { return mutex_lock && vfs_read && ksys_read; }
  void stack(uint32_t id, std::vector<uint64_t> frames) {
    frames.resize(127, 0);
    std::string value;
    for (uint64_t a : frames) value += bytes_of(a);
    h.maps.contents["stack_traces"].push_back({bytes_of(id), value});
  }
  // one stack's count, total and max of a half
  void figures(const std::string& half, int32_t id, uint64_t count, uint64_t total, uint64_t max) {
    h.maps.contents[half + "_count"].push_back(u64_entry(id, count));
    h.maps.contents[half + "_total"].push_back(u64_entry(id, total));
    h.maps.contents[half + "_max"].push_back(u64_entry(id, max));
  }
};

TEST(Klockstat, FiguresPerCallerStacksOfOneCallerAddUp) {
  Klockstat k("");
  if (!k.symbols()) GTEST_SKIP() << "no kernel symbols in /proc/kallsyms";
  k.stack(1, {k.mutex_lock + 0x12, k.vfs_read + 0x40, k.ksys_read + 0x8});
  k.stack(2, {k.vfs_read + 0x80, k.ksys_read + 0x10});  // same caller, other stack
  k.stack(3, {k.mutex_lock + 0x1, 0x10});                // no symbol that low
  k.figures("spin", 1, 10, 5000, 900);
  k.figures("spin", 2, 30, 3000, 1200);
  k.figures("spin", 3, 4, 400, 250);
  k.figures("spin", 4, 2, 60, 40);   // stack 4 is not in stack_traces
  k.figures("spin", 5, 0, 0, 0);     // no acquisition: left out
  k.figures("hold", 1, 7, 7000, 3000);
  auto v = k.h.fetch();
  const char* missed = "<Missed Kernel Stack>";
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.spin.count"]),
            (Values{{"vfs_read", 40}, {"[unknown]", 4}, {missed, 2}}));
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.spin.total"]),
            (Values{{"vfs_read", 8000}, {"[unknown]", 400}, {missed, 60}}));
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.spin.max"]),
            (Values{{"vfs_read", 1200}, {"[unknown]", 250}, {missed, 40}}));
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.spin.avg"]),
            (Values{{"vfs_read", 200}, {"[unknown]", 100}, {missed, 30}}));
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.hold.count"]), (Values{{"vfs_read", 7}}));
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.hold.avg"]), (Values{{"vfs_read", 1000}}));
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.hold.max"]), (Values{{"vfs_read", 3000}}));
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.hold.total"]), (Values{{"vfs_read", 7000}}));
}

TEST(Klockstat, DepthOffsetsAndCallerFilter) {
  Klockstat k("stack_depth = 2\nuse_caller_offset = 1\ncaller_filter = ksys\n");
  if (!k.symbols()) GTEST_SKIP() << "no kernel symbols in /proc/kallsyms";
  k.stack(1, {k.mutex_lock + 0x12, k.vfs_read + 0x40, k.ksys_read + 0x8});
  k.stack(2, {k.vfs_read + 0x80});  // one frame: no "ksys" in its name
  k.figures("spin", 1, 3, 30, 20);
  k.figures("spin", 2, 9, 90, 50);
  auto v = k.h.fetch();
  EXPECT_EQ(by_instance(v["kernel.lock.mutex.spin.count"]),
            (Values{{"vfs_read+0x40+ksys_read+0x8", 3}}));
}

}  // namespace
