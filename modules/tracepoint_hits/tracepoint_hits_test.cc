// tracepoint_hits on fake maps: tracepoint.hits, slot i of the `hits` array
// counting the i-th configured tracepoint found on this machine (in sorted
// order), instances "category:event"; patterns matching nothing and slots
// beyond the list give no instance.
#include "bpf/kernel.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

namespace {

bool available(const std::string& name) {
  for (const std::string& t : available_tracepoints())
    if (t == name) return true;
  return false;
}

TEST(TracepointHits, EachTracepointFromItsSlot) {
  for (const char* t : {"sched:sched_switch", "sched:sched_wakeup"})
    if (!available(t)) GTEST_SKIP() << t << " is not in this machine's tracefs";
  // listed out of order, with one that does not exist
  ModuleHarness h("tracepoint_hits",
                  "tracepoints = sched:sched_wakeup,nosuch:tracepoint,sched:sched_switch\n");
  h.maps.slots["hits"] = {123456789012, 42, 999};
  auto samples = h.fetch()["tracepoint.hits"];
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].instance, "sched:sched_switch");
  EXPECT_EQ(std::get<uint64_t>(samples[0].value), 123456789012u);
  EXPECT_EQ(samples[1].instance, "sched:sched_wakeup");
  EXPECT_EQ(std::get<uint64_t>(samples[1].value), 42u);
}

TEST(TracepointHits, RegularExpressionNamesEachMatch) {
  std::vector<std::string> expected;
  for (const std::string& t : available_tracepoints())
    if (t.rfind("sched:sched_process_", 0) == 0) expected.push_back(t);
  if (expected.size() < 2) GTEST_SKIP() << "too few sched:sched_process_* tracepoints";
  ModuleHarness h("tracepoint_hits", "tracepoints = sched:sched_process_.*\n");
  std::vector<uint64_t> slots;
  for (size_t i = 0; i < expected.size(); i++) slots.push_back(1000 + i);
  h.maps.slots["hits"] = slots;
  auto samples = h.fetch()["tracepoint.hits"];
  ASSERT_EQ(samples.size(), expected.size());
  for (size_t i = 0; i < expected.size(); i++) {
    EXPECT_EQ(samples[i].instance, expected[i]);
    EXPECT_EQ(std::get<uint64_t>(samples[i].value), 1000 + i);
  }
}

}  // namespace
