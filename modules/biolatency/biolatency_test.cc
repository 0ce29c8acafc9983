// biolatency on fake maps: bcc.disk.all.latency is the log2 histogram of the
// per-CPU array `dist` (64 slots), with or without the `queued` option.
#include "histogram_samples.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::buckets;
using bcc::testing::Buckets;
using bcc::testing::dist_with;
using bcc::testing::ModuleHarness;

namespace {

TEST(Biolatency, EachBucketFromItsSlot) {
  ModuleHarness h("biolatency");
  h.maps.slots["dist"] = dist_with({{1, 2}, {3, 5}, {7, 8}, {10, 21}});
  EXPECT_EQ(buckets(h.fetch()["disk.all.latency"]),
            (Buckets{{"0-1", 2},
                     {"2-3", 0},
                     {"4-7", 5},
                     {"8-15", 0},
                     {"16-31", 0},
                     {"32-63", 0},
                     {"64-127", 8},
                     {"128-255", 0},
                     {"256-511", 0},
                     {"512-1023", 21}}));
}

TEST(Biolatency, QueuedReadsTheSameHistogram) {
  ModuleHarness h("biolatency", "queued = true\n");
  h.maps.slots["dist"] = dist_with({{0, 6}, {2, 9}});
  EXPECT_EQ(buckets(h.fetch()["disk.all.latency"]), (Buckets{{"0-1", 6}, {"2-3", 9}}));
  EXPECT_EQ(h.maps.slot_reads, (std::map<std::string, int>{{"dist", 1}}));
}

TEST(Biolatency, ValuesFollowTheMapFromFetchToFetch) {
  ModuleHarness h("biolatency");
  h.maps.slots["dist"] = dist_with({{2, 1}});
  EXPECT_EQ(buckets(h.fetch()["disk.all.latency"]), (Buckets{{"0-1", 0}, {"2-3", 1}}));
  h.maps.slots["dist"] = dist_with({{2, 4}, {4, 3}});
  EXPECT_EQ(buckets(h.fetch()["disk.all.latency"]),
            (Buckets{{"0-1", 0}, {"2-3", 4}, {"4-7", 0}, {"8-15", 3}}));
}

}  // namespace
