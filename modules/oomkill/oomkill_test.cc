// oomkill on fake maps: each victim record the program sends becomes a row,
// newest first, up to process_count; command names passed on raw; lost
// records counted.
#include <algorithm>
#include <cstring>

#include "event_rows.h"
#include "module_harness.h"
#include "oomkill.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

using bcc::testing::row_value;

namespace {

oomkill_event victim(uint32_t fpid, const char* fcomm, uint32_t tpid, const char* tcomm,
                     uint32_t uid = 1000) {
  oomkill_event e{};
  e.fpid = fpid;
  e.tpid = tpid;
  e.uid = uid;
  std::memcpy(e.fcomm, fcomm, std::min(std::strlen(fcomm), sizeof(e.fcomm)));
  std::memcpy(e.tcomm, tcomm, std::min(std::strlen(tcomm), sizeof(e.tcomm)));
  return e;
}

void send(ModuleHarness& h, const oomkill_event& e) {
  h.spec().perf_buffers().at(0).on_event(&e, sizeof(e));
}

TEST(Oomkill, EachVictimIsARowNewestFirst) {
  ModuleHarness h("oomkill");
  send(h, victim(10, "allocator", 20, "hog", 0));
  send(h, victim(30, "a b\nc\x01", 40, "0123456789abcdef", 1234));
  auto values = h.fetch();
  ASSERT_EQ(values["oomkill.tpid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.fpid", 0), 30u);
  EXPECT_EQ(row_value<std::string>(values, "oomkill.fcomm", 0), "a b\nc\x01");  // raw
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.tpid", 0), 40u);
  EXPECT_EQ(row_value<std::string>(values, "oomkill.tcomm", 0),
            "0123456789abcdef");  // 16 bytes, no NUL
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.uid", 0), 1234u);
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.fpid", 1), 10u);
  EXPECT_EQ(row_value<std::string>(values, "oomkill.fcomm", 1), "allocator");
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.tpid", 1), 20u);
  EXPECT_EQ(row_value<std::string>(values, "oomkill.tcomm", 1), "hog");
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.uid", 1), 0u);
}

TEST(Oomkill, KeepsProcessCountVictimsAndIgnoresShortRecords) {
  ModuleHarness h("oomkill", "process_count = 2\n");
  for (uint32_t pid = 1; pid <= 3; pid++) send(h, victim(pid, "f", pid + 100, "t"));
  char shorter[8] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  auto values = h.fetch();
  ASSERT_EQ(values["oomkill.tpid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.tpid", 0), 103u);
  EXPECT_EQ(row_value<uint64_t>(values, "oomkill.tpid", 1), 102u);
}

TEST(Oomkill, LostRecordsAreCounted) {
  ModuleHarness h("oomkill");
  h.spec().perf_buffers().at(0).on_lost(2);
  auto values = h.fetch();
  ASSERT_EQ(values["oomkill.lost"].size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(values["oomkill.lost"][0].value), 2u);
  EXPECT_TRUE(values["oomkill.tpid"].empty());
}

}  // namespace
