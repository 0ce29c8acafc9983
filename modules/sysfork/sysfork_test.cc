// sysfork on fake maps: bcc.proc.sysfork is one value (no instances), the
// sum of the `forks` per-CPU array's slots, following the map fetch by fetch.
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

namespace {

TEST(Sysfork, OneValueWithoutInstanceFromTheForksArray) {
  ModuleHarness h("sysfork");
  h.maps.slots["forks"] = {4242};
  auto values = h.fetch();
  ASSERT_EQ(values["proc.sysfork"].size(), 1u);
  EXPECT_EQ(values["proc.sysfork"][0].instance, "");
  EXPECT_EQ(std::get<uint64_t>(values["proc.sysfork"][0].value), 4242u);
  EXPECT_EQ(h.maps.slot_reads, (std::map<std::string, int>{{"forks", 1}}));
}

TEST(Sysfork, SlotsAreSummedAndFollowed) {
  ModuleHarness h("sysfork");
  h.maps.slots["forks"] = {10, 20, 300};  // more slots than the program has: all added
  EXPECT_EQ(std::get<uint64_t>(h.fetch()["proc.sysfork"].at(0).value), 330u);
  h.maps.slots["forks"] = {1000};
  EXPECT_EQ(std::get<uint64_t>(h.fetch()["proc.sysfork"].at(0).value), 1000u);
  h.maps.slots["forks"] = {};
  EXPECT_EQ(std::get<uint64_t>(h.fetch()["proc.sysfork"].at(0).value), 0u);
}

}  // namespace
